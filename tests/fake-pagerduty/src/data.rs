//! The fake account: users, teams, schedules, escalation policies, and how schedules render.
//!
//! Generated deterministically from a size, so the demo and every test see the same people,
//! and anchored to "today" so that someone is always on call now.

use crate::time;

pub const SUBDOMAIN: &str = "acme";
pub const WEB: &str = "https://acme.pagerduty.com";

const FIRST: [&str; 25] = [
    "Zoë",
    "José",
    "Łukasz",
    "Søren",
    "Renée",
    "Ana María",
    "Dmitrij",
    "Ólafur",
    "Çağla",
    "Nguyễn",
    "François",
    "Aoife",
    "Björn",
    "Chidi",
    "Daniela",
    "Eero",
    "Fatima",
    "Grace",
    "Hiroshi",
    "Ines",
    "Jamal",
    "Kalinda",
    "Lars",
    "Mei",
    "Noa",
];
const LAST: [&str; 20] = [
    "Ångström",
    "Núñez",
    "Wójcik",
    "Kierkegård",
    "Dubois",
    "Pérez",
    "Šostakovič",
    "Jónsson",
    "Yılmaz",
    "Văn An",
    "Côté",
    "O'Brien",
    "Müller",
    "Okafor",
    "Rossi",
    "Mäkinen",
    "Haddad",
    "Hopper",
    "Tanaka",
    "García",
];
const ZONES: [&str; 10] = [
    "Europe/Oslo",
    "America/New_York",
    "Europe/Warsaw",
    "Europe/Copenhagen",
    "Europe/Paris",
    "America/Mexico_City",
    "Asia/Tokyo",
    "Atlantic/Reykjavik",
    "Australia/Sydney",
    "America/Los_Angeles",
];
const TEAMS: [(&str, &str); 6] = [
    ("Platform", "Core services and the deploy pipeline"),
    ("Payments", "Card processing and payouts"),
    ("Mobile", "iOS and Android apps"),
    ("Data", "Warehouse, pipelines and reporting"),
    ("Site Reliability", "Uptime, capacity and incident command"),
    ("Customer Support", "Escalations from the support desk"),
];
const JOBS: [&str; 5] = [
    "Software Engineer",
    "SRE",
    "Engineering Manager",
    "Support Engineer",
    "Data Engineer",
];

/// A person's base role: what they may change (the spec's `role`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    User,
    /// May override only schedules they are on.
    Limited,
    /// Reads, changes nothing.
    Stakeholder,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
            Role::Limited => "limited_user",
            Role::Stakeholder => "read_only_user",
        }
    }
}

/// The seeded Limited User (on some schedules, not all) and Stakeholder.
pub const LIMITED_USER: usize = 3;
pub const STAKEHOLDER: usize = 4;

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub email: String,
    pub time_zone: String,
    pub job_title: String,
    pub teams: Vec<usize>,
    pub contact_methods: Vec<ContactMethod>,
}

/// One of a user's contact methods, in the fields `openapiv3.json` gives each type.
#[derive(Clone, Debug)]
pub struct ContactMethod {
    pub id: String,
    /// `email_contact_method`, `phone_contact_method`, `sms_contact_method`,
    /// `push_notification_contact_method`.
    pub kind: &'static str,
    pub label: &'static str,
    pub address: String,
    /// Phones and texts only.
    pub country_code: Option<u16>,
    /// Push devices only: `ios` or `android`.
    pub device_type: Option<&'static str>,
}

/// Calling codes the seeded phone numbers use.
const COUNTRY_CODES: [u16; 6] = [1, 44, 47, 49, 81, 61];

/// Every user has a work email and a mobile phone, every second one takes texts on it, every
/// third one has the app on a phone, and the last user has no contact methods at all.
fn contact_methods(i: usize, count: usize, email: &str, first: &str) -> Vec<ContactMethod> {
    if i + 1 == count {
        return vec![];
    }
    let number = format!("{:09}", 400_000_000 + (i * 7_919) % 100_000_000);
    let code = COUNTRY_CODES[i % COUNTRY_CODES.len()];
    let method = |n: usize, kind, label, address: String| ContactMethod {
        id: format!("PC{i:04X}{n}"),
        kind,
        label,
        address,
        country_code: None,
        device_type: None,
    };
    let mut methods = vec![
        method(0, "email_contact_method", "Work", email.to_string()),
        ContactMethod {
            country_code: Some(code),
            ..method(1, "phone_contact_method", "Mobile", number.clone())
        },
    ];
    if i.is_multiple_of(2) {
        methods.push(ContactMethod {
            country_code: Some(code),
            ..method(2, "sms_contact_method", "Mobile", number)
        });
    }
    if i.is_multiple_of(3) {
        methods.push(ContactMethod {
            device_type: Some(if i.is_multiple_of(2) {
                "ios"
            } else {
                "android"
            }),
            ..method(
                3,
                "push_notification_contact_method",
                "Phone",
                format!("{first}'s phone"),
            )
        });
    }
    methods
}

#[derive(Clone, Debug)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub description: String,
    /// (user index, role)
    pub members: Vec<(usize, &'static str)>,
}

#[derive(Clone, Debug)]
pub struct Layer {
    pub id: String,
    pub name: String,
    pub start: i64,
    pub rotation_virtual_start: i64,
    pub turn_seconds: i64,
    /// `None` is an empty slot (v3 `empty_member`); v2 layers never have one.
    pub members: Vec<Option<usize>>,
    /// A daily window (seconds after midnight UTC, length) outside which the layer is off.
    pub daily: Option<(i64, i64)>,
}

#[derive(Clone, Debug)]
pub struct Override {
    pub id: String,
    pub start: i64,
    pub end: i64,
    /// Who is on call instead.
    pub user: usize,
    /// On a shift-based (v3) schedule: the rotation it is on and the member it replaces.
    pub shift: Option<ShiftSlot>,
}

/// Where a shift-based override applies: a rotation (an index into `layers`), and whom it
/// replaces there (`None`: the empty member, and any time the rotation has nobody at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShiftSlot {
    pub rotation: usize,
    pub overridden: Option<usize>,
}

/// One computed assignment of a shift-based schedule: its rotation, the shift, and the override
/// it comes from, if one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub rotation: usize,
    pub entry: Entry,
    pub override_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Schedule {
    pub id: String,
    pub name: String,
    pub description: String,
    pub time_zone: String,
    pub teams: Vec<usize>,
    /// Shift-based (v3): rotations all count at once instead of layering.
    pub v3: bool,
    pub layers: Vec<Layer>,
    pub overrides: Vec<Override>,
}

/// Whom a level notifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    User(usize),
    /// An index into `Data::schedules`.
    Schedule(usize),
    /// A schedule that was deleted while a policy still pointed at it: the reference stays,
    /// the schedule answers 404, and nobody is on call through it.
    DeletedSchedule {
        id: String,
        name: String,
    },
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub delay_minutes: u32,
    pub targets: Vec<Target>,
}

#[derive(Clone, Debug)]
pub struct Policy {
    pub id: String,
    pub name: String,
    pub description: String,
    pub num_loops: u32,
    pub team: Option<usize>,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub description: String,
    /// `active`, `warning`, `critical`, `maintenance` or `disabled`.
    pub status: &'static str,
    /// `None`: a service whose policy this user cannot see (PagerDuty answers null).
    pub policy: Option<usize>,
    pub team: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Data {
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    pub schedules: Vec<Schedule>,
    pub policies: Vec<Policy>,
    pub services: Vec<Service>,
}

/// A seeded schedule: name, team, turn length, daily window, whether a policy uses it.
type ScheduleSpec = (&'static str, usize, i64, Option<(i64, i64)>, bool);

/// One rendered shift: `[start, end)` for a user, or for nobody (an empty v3 slot).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub start: i64,
    pub end: i64,
    pub user: Option<usize>,
}

/// How big to make the account.
#[derive(Clone, Debug)]
pub struct Size {
    pub users: usize,
    /// Extra members put into the first team ("Platform") beyond the seeded ones, for tests of
    /// long member lists (all users are added, up to this many).
    pub big_team: usize,
    /// The same for the second team ("Payments"), for a second, differently sized list.
    pub second_team: usize,
    /// When not 0, one more layered schedule ("Dense Rotation") with about this many shifts
    /// in two weeks, for rendering benchmarks.
    pub dense_shifts: usize,
    /// When not 0, one more shift-based schedule ("Dense Shifts") with about this many
    /// assignments in two weeks, for the benchmark of the v3 reader.
    pub dense_v3_shifts: usize,
    /// At least this many escalation policies and services (more are generated: policies of
    /// three levels naming people, spread over the teams), for the benchmark's big account.
    pub policies: usize,
    pub services: usize,
}

impl Default for Size {
    fn default() -> Self {
        Self {
            users: 50,
            big_team: 0,
            second_team: 0,
            dense_shifts: 0,
            dense_v3_shifts: 0,
            policies: 0,
            services: 0,
        }
    }
}

/// The seeded services: name, status, team, and the policy (by index) they page.
const SERVICES: [(&str, &str, usize, Option<usize>); 13] = [
    ("Deploy Pipeline", "active", 0, Some(0)),
    ("Core API", "critical", 0, Some(POLICY_TEN_LEVELS)),
    ("Checkout", "warning", 1, Some(1)),
    ("Payouts", "active", 1, Some(1)),
    ("iOS App", "active", 2, Some(2)),
    ("Android App", "active", 2, Some(2)),
    ("Warehouse", "maintenance", 3, Some(3)),
    ("Status Page", "active", 4, Some(4)),
    ("Incident Bridge", "active", 4, Some(4)),
    ("Support Desk", "disabled", 5, Some(5)),
    ("Legacy Billing", "active", 5, Some(POLICY_DELETED_TARGET)),
    ("Orphaned Webhooks", "active", 3, None),
    ("Night Desk", "active", 3, Some(POLICY_NIGHT_GAP)),
];

/// The policy with ten levels ("Core API escalation"), and the one whose first level points at
/// a deleted schedule ("Legacy escalation").
pub const POLICY_TEN_LEVELS: usize = 6;
pub const POLICY_DELETED_TARGET: usize = 7;
/// Three follow-the-sun schedules at one level ("Follow-the-Sun escalation"), and a policy of
/// daytime rotations only, which reaches nobody at night ("Night Desk escalation").
pub const POLICY_FOLLOW_THE_SUN: usize = 8;
pub const POLICY_NIGHT_GAP: usize = 9;

pub fn id(prefix: char, n: usize) -> String {
    format!("P{prefix}{n:05X}")
}

impl Data {
    /// Builds the account. `now` anchors overrides to the current days.
    pub fn generate(size: &Size, now: i64) -> Self {
        let count = size.users.max(6);
        let users: Vec<User> = (0..count)
            .map(|i| {
                let first = FIRST[i % FIRST.len()];
                let last = LAST[(i / FIRST.len() + i * 7) % LAST.len()];
                let name = format!("{first} {last}");
                let email = format!(
                    "{}.{}{}@example.com",
                    ascii(first),
                    ascii(last),
                    if i < FIRST.len() {
                        String::new()
                    } else {
                        i.to_string()
                    }
                );
                User {
                    id: id('U', i),
                    role: match i {
                        0 => Role::Admin,
                        LIMITED_USER => Role::Limited,
                        STAKEHOLDER => Role::Stakeholder,
                        _ => Role::User,
                    },
                    contact_methods: contact_methods(i, count, &email, first),
                    name,
                    email,
                    time_zone: ZONES[i % ZONES.len()].to_string(),
                    job_title: JOBS[i % JOBS.len()].to_string(),
                    teams: vec![],
                }
            })
            .collect();
        let mut data = Data {
            users,
            teams: vec![],
            schedules: vec![],
            policies: vec![],
            services: vec![],
        };
        for (t, (name, description)) in TEAMS.iter().enumerate() {
            data.teams.push(Team {
                id: id('T', t),
                name: (*name).to_string(),
                description: (*description).to_string(),
                members: vec![],
            });
        }
        // Every user is in one team, every third in a second; the first of each team manages it.
        let n = data.users.len();
        for u in 0..n.min(60) {
            let mut teams = vec![u % TEAMS.len()];
            if u % 3 == 0 {
                teams.push((u / 3 + 1) % TEAMS.len());
            }
            teams.dedup();
            for &t in &teams {
                let role = if data.teams[t].members.is_empty() {
                    "manager"
                } else if u % 11 == 5 {
                    "observer"
                } else {
                    "responder"
                };
                data.teams[t].members.push((u, role));
                data.users[u].teams.push(t);
            }
        }
        for u in 0..n.min(size.big_team) {
            if !data.teams[0].members.iter().any(|(m, _)| *m == u) {
                data.teams[0].members.push((u, "responder"));
                data.users[u].teams.push(0);
            }
        }
        for u in 0..n.min(size.second_team) {
            if !data.teams[1].members.iter().any(|(m, _)| *m == u) {
                data.teams[1].members.push((u, "responder"));
                data.users[u].teams.push(1);
            }
        }

        // Rotations start on a fixed Monday, so shifts fall on the same hours every day.
        let monday = time::parse("2026-01-05T00:00:00Z").unwrap_or(0);
        let today = now - now.rem_euclid(86_400);
        let day = 86_400;
        let week = 7 * day;
        let team_users = |t: usize, k: usize| -> Vec<Option<usize>> {
            data.teams[t]
                .members
                .iter()
                .take(k)
                .map(|(u, _)| Some(*u))
                .collect()
        };
        let specs: [ScheduleSpec; 10] = [
            ("Platform Primary", 0, week, None, true),
            ("Platform Secondary", 0, week, None, false),
            ("Payments On-Call", 1, day, None, true),
            ("Mobile Releases", 2, week, Some((9 * 3600, 9 * 3600)), true),
            ("Data Pipelines", 3, day, None, true),
            ("SRE Primary", 4, 12 * 3600, None, true),
            ("SRE Follow-the-Sun", 4, 8 * 3600, None, true),
            (
                "Support Escalations",
                5,
                day,
                Some((8 * 3600, 10 * 3600)),
                true,
            ),
            ("Database Experts", 0, week, None, false),
            ("Weekend Cover", 4, 2 * day, None, true),
        ];
        // Which team's policy has each schedule at its first level.
        let mut in_policy_of: Vec<Option<usize>> = vec![];
        for (s, (name, team, turn, daily, in_policy)) in specs.into_iter().enumerate() {
            let members = team_users(team, 4 + s % 3);
            let mut layers = vec![Layer {
                id: id('L', s * 10),
                name: "Layer 1".into(),
                start: monday,
                rotation_virtual_start: monday + (s as i64) * 3600,
                turn_seconds: turn,
                members: members.clone(),
                daily,
            }];
            if s % 3 == 0 {
                // A business-hours layer on top of the round-the-clock one.
                let mut rotated = members.clone();
                rotated.rotate_left(1);
                layers.push(Layer {
                    id: id('L', s * 10 + 1),
                    name: "Layer 2 (business hours)".into(),
                    start: monday,
                    rotation_virtual_start: monday,
                    turn_seconds: day,
                    members: rotated,
                    daily: Some((9 * 3600, 8 * 3600)),
                });
            }
            let overrides = if s % 2 == 0 {
                let who = data.teams[(team + 1) % TEAMS.len()].members[0].0;
                vec![Override {
                    id: id('O', s),
                    start: today + day + 10 * 3600,
                    end: today + day + 14 * 3600,
                    user: who,
                    shift: None,
                }]
            } else {
                vec![]
            };
            data.schedules.push(Schedule {
                id: id('S', s),
                name: name.to_string(),
                description: format!("{} rotation for the {} team", name, TEAMS[team].0),
                time_zone: data.users[data.teams[team].members[0].0].time_zone.clone(),
                teams: vec![team],
                v3: false,
                layers,
                overrides,
            });
            in_policy_of.push(in_policy.then_some(team));
        }
        // Very short turns, for benchmarks: a layered rotation and a shift-based one.
        let dense = [
            (
                size.dense_shifts,
                "PSDENSE",
                "Dense Rotation",
                false,
                id('L', 999),
                "Layer 1",
            ),
            (
                size.dense_v3_shifts,
                "PSDENSE3",
                "Dense Shifts",
                true,
                "ROTATIONDENSE0000000000001".to_string(),
                "Dense",
            ),
        ];
        for (shifts, schedule_id, name, v3, layer_id, layer_name) in dense {
            if shifts == 0 {
                continue;
            }
            data.schedules.push(Schedule {
                id: schedule_id.into(),
                name: name.into(),
                description: "A rotation with very short turns, for benchmarks".into(),
                time_zone: "UTC".into(),
                teams: vec![0],
                v3,
                layers: vec![Layer {
                    id: layer_id,
                    name: layer_name.into(),
                    start: monday,
                    rotation_virtual_start: monday,
                    turn_seconds: (14 * day / shifts as i64).max(10),
                    members: (0..n.min(12)).map(Some).collect(),
                    daily: None,
                }],
                overrides: vec![],
            });
            in_policy_of.push(None);
        }
        // One shift-based schedule: two people on call at once, and a nightly empty slot.
        let platform = team_users(0, 6);
        data.schedules.push(Schedule {
            id: id('S', 10),
            name: "Incident Commanders (shift-based)".into(),
            description: "Two commanders at a time; nobody overnight".into(),
            time_zone: "Europe/Oslo".into(),
            teams: vec![0, 4],
            v3: true,
            layers: vec![
                Layer {
                    id: "ROTATIONAPRIMARY0000000001".into(),
                    name: "Commanders A".into(),
                    start: monday,
                    rotation_virtual_start: monday,
                    turn_seconds: day,
                    members: platform[..3].to_vec(),
                    daily: Some((6 * 3600, 16 * 3600)),
                },
                Layer {
                    id: "ROTATIONBSECONDARY00000002".into(),
                    name: "Commanders B".into(),
                    start: monday,
                    rotation_virtual_start: monday,
                    turn_seconds: day,
                    members: vec![platform[3], None, platform[4]],
                    daily: Some((6 * 3600, 16 * 3600)),
                },
            ],
            overrides: vec![],
        });
        in_policy_of.push(Some(4));
        // Follow the sun: three schedules in three zones, each on call for eight hours of the
        // day (UTC) in turn, together round the clock; one policy has all three at level 1.
        for (k, (name, zone_user, from_hour)) in [
            ("Sun: Europe", 0, 7),
            ("Sun: Americas", 1, 15),
            ("Sun: Asia-Pacific", 8, 23),
        ]
        .into_iter()
        .enumerate()
        {
            let members: Vec<Option<usize>> = (0..3)
                .map(|i| zone_user + 10 * i)
                .filter(|&u| u < n)
                .map(Some)
                .collect();
            data.schedules.push(Schedule {
                id: id('S', 11 + k),
                name: name.into(),
                description: "One of three follow-the-sun rotations".into(),
                time_zone: ZONES[zone_user].into(),
                teams: vec![4],
                v3: false,
                layers: vec![Layer {
                    id: id('L', 110 + k),
                    name: "Layer 1".into(),
                    start: monday,
                    rotation_virtual_start: monday,
                    turn_seconds: day,
                    members,
                    daily: Some((from_hour * 3600, 8 * 3600)),
                }],
                overrides: vec![],
            });
            in_policy_of.push(None);
        }
        data.add_policies_and_services(size, &in_policy_of);
        data
    }

    /// One policy per team (its schedules at level 1, then a second schedule or its lead),
    /// a ten-level policy, one whose first level points at a deleted schedule, the seeded
    /// services, and as many generated ones as `size` asks for.
    fn add_policies_and_services(&mut self, size: &Size, in_policy_of: &[Option<usize>]) {
        let schedule = |name: &str| {
            self.schedules
                .iter()
                .position(|s| s.name == name)
                .unwrap_or_default()
        };
        let secondary = schedule("Platform Secondary");
        let database = schedule("Database Experts");
        for (t, (team, _)) in TEAMS.iter().enumerate() {
            // The team's lead (its second member) is named directly at the last level.
            let lead = self.teams[t].members[1].0;
            let first: Vec<Target> = (0..in_policy_of.len())
                .filter(|&s| in_policy_of[s] == Some(t))
                .map(Target::Schedule)
                .collect();
            let mut rules = vec![Rule {
                delay_minutes: 15,
                targets: first,
            }];
            if t == 0 {
                rules.push(Rule {
                    delay_minutes: 30,
                    targets: vec![Target::Schedule(secondary)],
                });
            }
            rules.push(Rule {
                delay_minutes: 30,
                targets: vec![Target::User(lead)],
            });
            self.policies.push(Policy {
                id: id('E', t),
                name: format!("{team} escalation"),
                description: format!("Who the {team} team pages, level by level"),
                num_loops: if t == 0 { 2 } else { (t % 2) as u32 },
                team: Some(t),
                rules,
            });
        }
        // Ten levels: the ten layered schedules in turn, the last level a person.
        let mut rules: Vec<Rule> = (0..9)
            .map(|k| Rule {
                delay_minutes: 5 + 5 * k as u32,
                targets: vec![Target::Schedule(k)],
            })
            .collect();
        rules.push(Rule {
            delay_minutes: 60,
            targets: vec![
                Target::User(self.teams[4].members[0].0),
                Target::Schedule(database),
            ],
        });
        self.policies.push(Policy {
            id: id('E', POLICY_TEN_LEVELS),
            name: "Core API escalation".into(),
            description: "Every rotation in turn, then the head of SRE".into(),
            num_loops: 0,
            team: Some(0),
            rules,
        });
        self.policies.push(Policy {
            id: id('E', POLICY_DELETED_TARGET),
            name: "Legacy escalation".into(),
            description: "Still points at a rotation that was deleted".into(),
            num_loops: 1,
            team: Some(5),
            rules: vec![
                Rule {
                    delay_minutes: 10,
                    targets: vec![Target::DeletedSchedule {
                        id: "PSGONE1".into(),
                        name: "Old Billing Rotation".into(),
                    }],
                },
                Rule {
                    delay_minutes: 20,
                    targets: vec![Target::User(self.teams[5].members[0].0)],
                },
            ],
        });
        let sun: Vec<Target> = ["Sun: Europe", "Sun: Americas", "Sun: Asia-Pacific"]
            .into_iter()
            .map(|name| Target::Schedule(schedule(name)))
            .collect();
        self.policies.push(Policy {
            id: id('E', POLICY_FOLLOW_THE_SUN),
            name: "Follow-the-Sun escalation".into(),
            description: "Europe, the Americas and Asia-Pacific in turn".into(),
            num_loops: 0,
            team: Some(4),
            rules: vec![Rule {
                delay_minutes: 30,
                targets: sun,
            }],
        });
        // Two daytime rotations and nobody else: at night an incident reaches no one.
        self.policies.push(Policy {
            id: id('E', POLICY_NIGHT_GAP),
            name: "Night Desk escalation".into(),
            description: "Daytime rotations only".into(),
            num_loops: 0,
            team: Some(3),
            rules: vec![
                Rule {
                    delay_minutes: 15,
                    targets: vec![Target::Schedule(schedule("Support Escalations"))],
                },
                Rule {
                    delay_minutes: 15,
                    targets: vec![Target::Schedule(schedule("Mobile Releases"))],
                },
            ],
        });
        // Generated policies name people directly, three levels each: a real account's
        // schedules each serve a policy or two, and sharing the seeded ten among hundreds
        // would make everyone's /oncalls hundreds of times longer than it ever is.
        let people = self.users.len();
        for k in self.policies.len()..size.policies {
            let team = k % TEAMS.len();
            self.policies.push(Policy {
                id: id('E', k),
                name: format!("{} escalation {k}", TEAMS[team].0),
                description: String::new(),
                num_loops: 0,
                team: Some(team),
                rules: (0..3)
                    .map(|level| Rule {
                        delay_minutes: 10 * (level as u32 + 1),
                        targets: vec![Target::User((7 + k * 3 + level) % people)],
                    })
                    .collect(),
            });
        }
        for (k, (name, status, team, policy)) in SERVICES.into_iter().enumerate() {
            self.services.push(Service {
                id: id('V', k),
                name: name.into(),
                description: format!("{name}, run by the {} team", TEAMS[team].0),
                status,
                policy,
                team: Some(team),
            });
        }
        for k in self.services.len()..size.services {
            let team = k % TEAMS.len();
            self.services.push(Service {
                id: id('V', k),
                name: format!("{} service {k}", TEAMS[team].0),
                description: String::new(),
                status: ["active", "active", "warning", "critical"][k % 4],
                policy: Some(k % self.policies.len()),
                team: Some(team),
            });
        }
    }

    /// The policies with schedule `s` at any level.
    pub fn policies_of(&self, s: usize) -> Vec<usize> {
        (0..self.policies.len())
            .filter(|&p| {
                self.policies[p]
                    .rules
                    .iter()
                    .any(|r| r.targets.contains(&Target::Schedule(s)))
            })
            .collect()
    }

    pub fn user_by_id(&self, id: &str) -> Option<usize> {
        self.users.iter().position(|u| u.id == id)
    }
}

fn ascii(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' => Some(c.to_ascii_lowercase()),
            'ö' | 'ó' | 'Ó' | 'ø' | 'ô' => Some('o'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'á' | 'å' | 'Å' | 'ä' | 'ă' => Some('a'),
            'ñ' => Some('n'),
            'ú' | 'ü' | 'ễ' => Some('u'),
            'ł' | 'Ł' => Some('l'),
            'ğ' => Some('g'),
            'ı' | 'í' => Some('i'),
            'ç' | 'Ç' => Some('c'),
            'š' | 'Š' => Some('s'),
            'č' | 'ć' => Some('c'),
            'ę' => Some('e'),
            _ => None,
        })
        .collect()
}

impl Layer {
    /// The layer's shifts that overlap `[since, until)`, clipped to it.
    pub fn entries(&self, since: i64, until: i64) -> Vec<Entry> {
        let mut out = vec![];
        let from = since.max(self.start);
        if from >= until || self.members.is_empty() || self.turn_seconds <= 0 {
            return out;
        }
        let mut k = (from - self.rotation_virtual_start).div_euclid(self.turn_seconds);
        loop {
            let turn_start = self.rotation_virtual_start + k * self.turn_seconds;
            if turn_start >= until {
                break;
            }
            let turn_end = turn_start + self.turn_seconds;
            let user = self.members[k.rem_euclid(self.members.len() as i64) as usize];
            for (a, b) in self.windows(turn_start.max(from), turn_end.min(until)) {
                out.push(Entry {
                    start: a,
                    end: b,
                    user,
                });
            }
            k += 1;
        }
        out
    }

    /// `[a, b)` cut down to the daily windows, if the layer has them.
    fn windows(&self, a: i64, b: i64) -> Vec<(i64, i64)> {
        if a >= b {
            return vec![];
        }
        let Some((offset, length)) = self.daily else {
            return vec![(a, b)];
        };
        let mut out = vec![];
        let mut day = a - a.rem_euclid(86_400) - 86_400;
        while day < b {
            let (ws, we) = (day + offset, day + offset + length);
            let (s, e) = (ws.max(a), we.min(b));
            if s < e {
                out.push((s, e));
            }
            day += 86_400;
        }
        out
    }
}

impl Schedule {
    pub fn override_entries(&self, since: i64, until: i64) -> Vec<Entry> {
        self.overrides
            .iter()
            .filter(|o| o.end > since && o.start < until)
            .map(|o| Entry {
                start: o.start.max(since),
                end: o.end.min(until),
                user: Some(o.user),
            })
            .collect()
    }

    /// The final schedule of a layered (v2) schedule: overrides beat layers (the last created
    /// of overlapping ones), a later layer beats an earlier one, and where no layer has anyone
    /// there is a gap (no entry).
    pub fn final_entries(&self, since: i64, until: i64) -> Vec<Entry> {
        let layers: Vec<Vec<Entry>> = self
            .layers
            .iter()
            .map(|l| l.entries(since, until))
            .collect();
        let overrides = self.override_entries(since, until);
        let mut points: Vec<i64> = vec![since, until];
        for e in layers.iter().flatten().chain(&overrides) {
            points.extend([e.start, e.end]);
        }
        points.sort_unstable();
        points.dedup();
        let covering = |entries: &[Entry], t: i64| {
            entries
                .iter()
                .find(|e| e.start <= t && t < e.end)
                .map(|e| e.user)
        };
        let mut out: Vec<Entry> = vec![];
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            // Overlapping overrides are not refused: the last created wins.
            let last_override = overrides
                .iter()
                .rev()
                .find(|e| e.start <= a && a < e.end)
                .map(|e| e.user);
            let who = last_override.or_else(|| layers.iter().rev().find_map(|l| covering(l, a)));
            let Some(Some(user)) = who else { continue };
            match out.last_mut() {
                Some(last) if last.end == a && last.user == Some(user) => last.end = b,
                _ => out.push(Entry {
                    start: a,
                    end: b,
                    user: Some(user),
                }),
            }
        }
        out
    }

    /// Shift-based (v3) assignments: every rotation counts at once, empty slots included, and
    /// each rotation's overrides replace the member they name (the last created wins).
    pub fn computed_assignments(&self, since: i64, until: i64) -> Vec<Assignment> {
        let mut out: Vec<Assignment> = vec![];
        for (rotation, layer) in self.layers.iter().enumerate() {
            let entries = layer.entries(since, until);
            let overrides: Vec<(&Override, ShiftSlot)> = self
                .overrides
                .iter()
                .filter_map(|o| o.shift.filter(|s| s.rotation == rotation).map(|s| (o, s)))
                .filter(|(o, _)| o.end > since && o.start < until)
                .collect();
            if overrides.is_empty() {
                out.extend(entries.into_iter().map(|entry| Assignment {
                    rotation,
                    entry,
                    override_id: None,
                }));
                continue;
            }
            let mut points: Vec<i64> = vec![];
            for e in &entries {
                points.extend([e.start, e.end]);
            }
            for (o, _) in &overrides {
                points.extend([o.start.max(since), o.end.min(until)]);
            }
            points.sort_unstable();
            points.dedup();
            // What the last piece came from: an override, or the rotation's entry starting then.
            // Pieces of one source join; turns of the rotation stay apart, as without overrides.
            let mut last_from: Option<(Option<String>, i64)> = None;
            for pair in points.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                // The rotation's own member then: `None` for no entry at all.
                let own = entries.iter().find(|e| e.start <= a && a < e.end);
                let replaced = overrides.iter().rev().find(|(o, slot)| {
                    o.start <= a
                        && a < o.end
                        && match slot.overridden {
                            Some(user) => own.is_some_and(|e| e.user == Some(user)),
                            None => own.is_none_or(|e| e.user.is_none()),
                        }
                });
                let (user, from) = match (replaced, own) {
                    (Some((o, _)), _) => (Some(o.user), (Some(o.id.clone()), 0)),
                    (None, Some(e)) => (e.user, (None, e.start)),
                    (None, None) => {
                        last_from = None;
                        continue;
                    }
                };
                let joins = last_from.as_ref() == Some(&from);
                match out.last_mut() {
                    Some(last) if joins && last.entry.end == a => last.entry.end = b,
                    _ => out.push(Assignment {
                        rotation,
                        entry: Entry {
                            start: a,
                            end: b,
                            user,
                        },
                        override_id: from.0.clone(),
                    }),
                }
                last_from = Some(from);
            }
        }
        out.sort_by_key(|a| (a.entry.start, a.rotation));
        out
    }
}

/// Percentage of `[since, until)` covered by `entries` (which may overlap).
pub fn coverage(entries: &[Entry], since: i64, until: i64) -> f64 {
    if until <= since {
        return 0.0;
    }
    let mut spans: Vec<(i64, i64)> = entries
        .iter()
        .filter(|e| e.user.is_some())
        .map(|e| (e.start, e.end))
        .collect();
    spans.sort_unstable();
    let (mut covered, mut reach) = (0, since);
    for (s, e) in spans {
        let s = s.max(reach);
        if e > s {
            covered += e - s;
            reach = e;
        }
    }
    (covered as f64 * 1000.0 / (until - since) as f64).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(members: Vec<Option<usize>>, daily: Option<(i64, i64)>) -> Layer {
        Layer {
            id: "L".into(),
            name: "L".into(),
            start: 0,
            rotation_virtual_start: 0,
            turn_seconds: 86_400,
            members,
            daily,
        }
    }

    #[test]
    fn a_layer_rotates_through_its_members_and_clips_to_the_window() {
        let l = layer(vec![Some(0), Some(1)], None);
        assert_eq!(
            l.entries(43_200, 2 * 86_400 + 3600),
            vec![
                Entry {
                    start: 43_200,
                    end: 86_400,
                    user: Some(0)
                },
                Entry {
                    start: 86_400,
                    end: 172_800,
                    user: Some(1)
                },
                Entry {
                    start: 172_800,
                    end: 176_400,
                    user: Some(0)
                },
            ]
        );
    }

    #[test]
    fn daily_windows_leave_gaps_that_the_final_schedule_keeps() {
        let s = Schedule {
            id: "S".into(),
            name: "S".into(),
            description: String::new(),
            time_zone: "UTC".into(),
            teams: vec![],
            v3: false,
            layers: vec![layer(vec![Some(0)], Some((9 * 3600, 8 * 3600)))],
            overrides: vec![Override {
                id: "O".into(),
                start: 10 * 3600,
                end: 11 * 3600,
                user: 2,
                shift: None,
            }],
        };
        assert_eq!(
            s.final_entries(0, 86_400),
            vec![
                Entry {
                    start: 9 * 3600,
                    end: 10 * 3600,
                    user: Some(0)
                },
                Entry {
                    start: 10 * 3600,
                    end: 11 * 3600,
                    user: Some(2)
                },
                Entry {
                    start: 11 * 3600,
                    end: 17 * 3600,
                    user: Some(0)
                },
            ]
        );
        assert_eq!(coverage(&s.final_entries(0, 86_400), 0, 86_400), 33.3);
    }

    #[test]
    fn the_generated_account_has_what_the_demo_needs() {
        let d = Data::generate(&Size::default(), 1_800_000_000);
        assert_eq!(d.users.len(), 50);
        assert_eq!(d.schedules.len(), 14);
        assert_eq!(d.schedules.iter().filter(|s| s.v3).count(), 1);
        assert!(d.users.iter().any(|u| u.name.contains('Å')));
        assert!(d
            .teams
            .iter()
            .all(|t| t.members.first().map(|m| m.1) == Some("manager")));
        let mut emails: Vec<&str> = d.users.iter().map(|u| u.email.as_str()).collect();
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), 50, "emails are unique");
        assert_eq!(d.policies[POLICY_TEN_LEVELS].rules.len(), 10);
        assert!(d.services.iter().any(|s| s.policy.is_none()));
        assert!(d
            .policies
            .iter()
            .all(|p| p.rules.iter().all(|r| !r.targets.is_empty())));
        assert!(
            d.policies_of(1).contains(&0),
            "Platform Secondary is level 2 of Platform"
        );
        let big = Data::generate(
            &Size {
                users: 250,
                big_team: 200,
                ..Size::default()
            },
            0,
        );
        assert!(big.teams[0].members.len() >= 200);
        let account = Data::generate(
            &Size {
                policies: 300,
                services: 500,
                ..Size::default()
            },
            0,
        );
        assert_eq!((account.policies.len(), account.services.len()), (300, 500));
    }
}
