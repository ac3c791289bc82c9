//! Take a shift: what a cover link opens (`/cover?schedule=<ID>&start=<ISO 8601>&end=<ISO 8601>
//! &for=<user ID>`), and where "Take" and "Ask for cover" on a shift lead. It shows the
//! schedule, the time in the person's zone and the schedule's, who is on call then, the
//! overrides already there, and one button, **Take this shift**, when there is something to
//! take and the page may write. On the person's own shift it gives the link to send instead.
//!
//! A take is sent once. Before it, the overrides are read again (PagerDuty does not refuse an
//! overlapping one: the last created wins), and a change since the page was drawn is shown
//! before anything is sent. Without an answer, they are read again to learn whether it was made,
//! so one click never makes two overrides. The rules are `oncall_core::cover`'s; the requests,
//! for either kind of schedule, `changes`'.

use crate::auth::use_auth;
use crate::browser::zone::{BrowserZone, Style};
use crate::client::me::use_me;
use crate::client::{loads, resource, settled, use_client, Client};
use crate::components::link::RouteLink;
use crate::components::loaded::Loaded;
use crate::components::zone::use_zone;
use crate::navigation::use_nav;
use crate::pages::changes::{self, Target};
use leptos::prelude::*;
use oncall_core::api::types::User;
use oncall_core::api::ApiError;
use oncall_core::cover::{self, CoverLink, Standing, Writes};
use oncall_core::overrides::{self, Override, Removed};
use oncall_core::routes::Route;
use oncall_core::time::{date_param, local, parse_iso, Window};
use oncall_core::timeline::Timeline;
use std::sync::Arc;

#[component]
pub fn CoverPage() -> impl IntoView {
    let nav = use_nav();
    let link = Memo::new(move |_| cover::parse(&nav.query()));
    view! {
        <section class="panel cover" aria-labelledby="cover-heading">
            <h1 id="cover-heading">"Take a shift"</h1>
            {move || match link.get() {
                Err(why) => view! {
                    <p class="error" role="alert">{why.to_string()}</p>
                    <p><RouteLink route=Route::Home>"Go to My on-call"</RouteLink></p>
                }
                .into_any(),
                Ok(link) => view! { <OneShift link /> }.into_any(),
            }}
        </section>
    }
}

/// What the page knows of the shift: the schedule over its range, the overrides there, and
/// who is looking.
#[derive(Clone)]
struct Known {
    timeline: Arc<Timeline>,
    target: Target,
    overrides: Vec<Override>,
    me: User,
}

/// Where a take (or its undo) stands.
#[derive(Clone, Debug, PartialEq)]
enum Action {
    Idle,
    /// Reading the overrides again, then sending.
    Sending,
    /// The overrides changed since the page was drawn: shown again, to be confirmed again.
    Changed,
    /// Made: the overrides (one, or one per rotation on a shift-based schedule), on the
    /// schedule named.
    Taken(Vec<Override>, String),
    /// Created, but not all of it: each item's reasons.
    Refused(String),
    Failed(String),
    Removing,
    Removed(Removed),
}

#[component]
fn OneShift(link: CoverLink) -> impl IntoView {
    let zone = use_zone();
    let me = use_me();
    let asked = link.clone();
    let known = resource(move |c| {
        let link = asked.clone();
        crate::client::clock::use_clock().renewing();
        async move {
            let me = match me {
                Some(me) => settled(me.0).await?,
                None => return Err(ApiError::Unauthorized),
            };
            let window = link.window();
            let timeline = loads::timeline(&c, &link.schedule, window).await?;
            let target = Target {
                id: link.schedule.clone(),
                name: timeline.name.clone(),
                shift_based: timeline.shift_based,
            };
            let overrides = changes::read(&c, &target, window, false).await?;
            Ok(Known {
                timeline: Arc::new(timeline),
                target,
                overrides,
                me,
            })
        }
    });
    let action = RwSignal::new(Action::Idle);
    // The outcome's Undo needs the schedule's kind, which only the load tells.
    let target = Memo::new(move |_| known.get().and_then(Result::ok).map(|k| k.target));
    view! {
        <Loaded
            resource=known
            label="the shift"
            render=move |known: Known| {
                let link = link.clone();
                move || view! { <Shift link=link.clone() known=known.clone() zone=zone.get() action /> }
            }
        />
        // Outside the shift, which is drawn again when a change renews the page: the outcome,
        // and its Undo, stay where they are.
        <Outcome action target />
    }
}

/// `window` in `zone`, with the zone named: "Tue 8 Dec, 18:00 – Wed 9 Dec, 09:00 (Europe/Oslo)".
fn range(zone: &BrowserZone, window: Window) -> String {
    format!(
        "{} – {} ({})",
        zone.format(window.start, Style::DayTime),
        zone.format(window.end, Style::DayTime),
        zone.name()
    )
}

#[component]
fn Shift(
    link: CoverLink,
    known: Known,
    zone: BrowserZone,
    action: RwSignal<Action>,
) -> impl IntoView {
    let clock = crate::client::clock::use_clock();
    let writes = use_auth().map_or(Writes::ReadOnlyConfig, |auth| auth.writes());
    let t = known.timeline.clone();
    let window = link.window();
    let schedule_zone = t.time_zone.as_deref().and_then(BrowserZone::new);
    let in_schedule_zone = schedule_zone
        .filter(|z| z.name() != zone.name())
        .map(|z| view! { <p class="muted">{format!("In the schedule's time zone: {}", range(&z, window))}</p> });
    let covered_name = link.for_user.as_ref().map(|id| {
        t.final_shifts
            .iter()
            .find(|s| s.person.user_id() == Some(id))
            .map(|s| s.person.name().to_string())
            .or_else(|| {
                known
                    .overrides
                    .iter()
                    .find(|o| &o.user.id == id)
                    .map(|o| o.user.summary.clone())
            })
            .unwrap_or_else(|| "the person who sent this link".to_string())
    });
    let covered = covered_name
        .clone()
        .map(|name| view! { <p>{format!("For: {name}")}</p> });
    let standing = cover::standing(
        &link,
        clock.now_untracked(),
        &known.me.id,
        &t.final_shifts,
        &known.overrides,
    );
    let on_call = cover::who(&t.final_shifts, window);
    let at = {
        let zone = zone.clone();
        move |text: &str| {
            parse_iso(text)
                .map(|ms| zone.format(ms, Style::DayTime))
                .unwrap_or_default()
        }
    };
    let overrides_there = (!known.overrides.is_empty()).then(|| {
        let items = known
            .overrides
            .iter()
            .map(|o| view! { <li>{format!("{} – {}: {}", at(&o.start), at(&o.end), o.user.summary)}</li> })
            .collect_view();
        view! {
            <h2>"Overrides already in this range"</h2>
            <ul class="overrides">{items}</ul>
            <p class="muted">"PagerDuty does not refuse overlapping overrides: the one created last counts."</p>
        }
    });
    let offer = match standing {
        Standing::Over => view! { <p class="notice" role="status">"This shift is over: there is nothing left to take."</p> }.into_any(),
        // Undone from here while the outcome above does not offer it already.
        Standing::Taken { by, you: true } => {
            let undo = (writes == Writes::Allowed).then(|| {
                let target = known.target.clone();
                move || matches!(action.get(), Action::Idle | Action::Changed).then(|| view! { <Undo action target=target.clone() made=vec![by.clone()] /> })
            });
            view! { <p class="status" role="status">"You have taken this shift."</p> {undo} }.into_any()
        }
        Standing::Taken { by, .. } => view! { <p class="status" role="status">{format!("{} has taken this shift already.", by.user.summary)}</p> }.into_any(),
        Standing::AlreadyYours => {
            let find = (writes == Writes::Allowed).then(|| view! { <FindCover link=link.clone() known=known.clone() zone=zone.clone() action /> });
            view! { <AskForCover link=link.clone() /> {find} }.into_any()
        }
        Standing::Open { from } => match writes.why_not() {
            Some(why) => view! { <p class="muted quiet-line">{why}</p> }.into_any(),
            None => {
                let taking = Window { start: from, end: link.end };
                // Several people may be on call at once on a shift-based schedule: a link for
                // someone takes only their place.
                let who_then = match (t.shift_based, &covered_name) {
                    (true, Some(name)) => name.clone(),
                    _ => cover::who(&t.final_shifts, taking),
                };
                let change = format!("{}: {who_then} → you", range(&zone, taking));
                view! { <Take link=link.clone() known=known.clone() taking change action /> }.into_any()
            }
        },
    };
    let title = t.name.clone();
    // The schedule's timeline over the week the shift starts in.
    let at_shift = {
        let nav = use_nav();
        let path = Route::Schedule(link.schedule.clone()).href(&nav.query_untracked());
        let day = date_param(local(&zone, link.start));
        nav.href(&format!("{path}&start={day}"))
    };
    view! {
        <h2 class="schedule-name">
            <a href=at_shift>{title}</a>
        </h2>
        <p class="when">{range(&zone, window)}</p>
        {in_schedule_zone}
        {covered}
        <p>{format!("On call then: {on_call}")}</p>
        {overrides_there}
        {offer}
    }
}

/// The one button, and what it will change.
#[component]
fn Take(
    link: CoverLink,
    known: Known,
    taking: Window,
    change: String,
    action: RwSignal<Action>,
) -> impl IntoView {
    let Some(client) = use_client() else {
        return ().into_any();
    };
    let me = known.me.id.clone();
    let take = move |_| {
        // A second click while the first is on its way does nothing (the button is disabled too).
        if action.get_untracked() != Action::Sending {
            let replacing = link.for_user.clone();
            start_take(
                action,
                client.clone(),
                &link,
                &known,
                taking,
                me.clone(),
                replacing,
            );
        }
    };
    let sending = move || action.get() == Action::Sending;
    view! {
        <p class="change"><strong>{change}</strong></p>
        <button class="primary" on:click=take disabled=sending>
            {move || if sending() { "Taking…" } else { "Take this shift" }}
        </button>
    }
    .into_any()
}

/// Starts a take of `window` of `link`'s shift for `who` (on a shift-based schedule, in place of
/// `replacing`), and says in `action` what came of it; the views showing the schedule are
/// renewed after, whatever it was.
fn start_take(
    action: RwSignal<Action>,
    client: Client,
    link: &CoverLink,
    known: &Known,
    window: Window,
    who: String,
    replacing: Option<String>,
) {
    action.set(Action::Sending);
    let time_zone = known
        .timeline
        .time_zone
        .clone()
        .unwrap_or_else(|| "UTC".into());
    let (link, target, shown) = (link.clone(), known.target.clone(), known.overrides.clone());
    leptos::task::spawn_local(async move {
        let asked = overrides::Cover {
            start: window.start,
            end: window.end,
            user_id: who,
        };
        let replacing = replacing.as_deref();
        let done = take_shift(
            &client, &link, &target, asked, replacing, &time_zone, &shown,
        )
        .await;
        client.changed(&link.schedule);
        action.set(done);
    });
}

/// Reads the overrides again, then (if they are as shown) creates the override; without an
/// answer, reads them again to learn whether it was made.
async fn take_shift(
    client: &Client,
    link: &CoverLink,
    target: &Target,
    asked: overrides::Cover,
    replacing: Option<&str>,
    time_zone: &str,
    shown: &[Override],
) -> Action {
    let before = match changes::read(client, target, link.window(), true).await {
        Ok(now) if cover::changed(shown, &now) => return Action::Changed,
        Ok(now) => now,
        Err(e) => return Action::Failed(format!("Nothing was changed: {e}")),
    };
    let sent = changes::send_covers(client, target, &[asked], replacing, time_zone, &before).await;
    match sent.map(|mut items| items.pop()) {
        Ok(Some(Ok(made))) => Action::Taken(made, target.name.clone()),
        Ok(Some(Err(why))) => Action::Refused(format!("PagerDuty did not create the override: {why}")),
        Ok(None) => Action::Failed("PagerDuty answered, but said nothing of the override. Reload to see whether it was made.".into()),
        Err(why) => Action::Failed(why),
    }
}

/// What the last take or undo came to.
#[component]
fn Outcome(action: RwSignal<Action>, target: Memo<Option<Target>>) -> impl IntoView {
    let zone = use_zone();
    let me = use_me();
    move || {
        let zone = zone.get();
        match action.get() {
        Action::Idle | Action::Sending => ().into_any(),
        Action::Changed => view! {
            <p class="notice" role="alert">"The overrides in this range changed since the page was drawn (above, as they are now). Look again, then take the shift if you still want it."</p>
        }
        .into_any(),
        Action::Taken(made, schedule) => {
            // One override, or one per rotation, all for the same time and person.
            let start = made.iter().filter_map(|o| parse_iso(&o.start)).min();
            let end = made.iter().filter_map(|o| parse_iso(&o.end)).max();
            let when = match (start, end) {
                (Some(start), Some(end)) => range(&zone, Window { start, end }),
                _ => String::new(),
            };
            let (person, name) = made
                .first()
                .map(|o| (o.user.id.clone(), o.user.summary.clone()))
                .unwrap_or_default();
            let yours = me
                .and_then(|m| m.0.get())
                .and_then(Result::ok)
                .is_some_and(|u| u.id == person);
            let who = match yours {
                true => "you are".to_string(),
                false => format!("{name} is"),
            };
            let undo = target.get().map(|target| view! { <Undo action target made /> });
            view! {
                <p class="done" role="status">{format!("Done: {who} on call for {schedule}, {when}.")}</p>
                {undo}
            }
            .into_any()
        }
        Action::Removing => view! { <p class="status" role="status">"Removing the override…"</p> }.into_any(),
        Action::Removed(Removed::Deleted) => view! { <p class="done" role="status">"Undone: the override is removed."</p> }.into_any(),
        Action::Removed(Removed::CutShort) => view! { <p class="done" role="status">"Undone: the override had begun, so it now ends at this minute."</p> }.into_any(),
        Action::Refused(why) | Action::Failed(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
    }
    }
}

/// Removes the overrides the person made: once, however often it is clicked.
#[component]
fn Undo(action: RwSignal<Action>, target: Target, made: Vec<Override>) -> impl IntoView {
    let client = StoredValue::new_local(use_client());
    let remove = move |_| {
        let Some(client) = client.get_value() else {
            return;
        };
        if action.get_untracked() == Action::Removing {
            return;
        }
        action.set(Action::Removing);
        let (target, made) = (target.clone(), made.clone());
        leptos::task::spawn_local(async move {
            let done = match changes::remove_all(&client, &target, &made).await {
                Ok(removed) => Action::Removed(removed),
                Err(why) => Action::Failed(why),
            };
            client.changed(&target.id);
            action.set(done);
        });
    };
    let removing = move || action.get() == Action::Removing;
    view! { <button class="secondary" on:click=remove disabled=removing>"Undo"</button> }
}

/// On one's own shift: choose who covers it (someone on the schedule then, or anyone found by
/// name), for all of what is left of it or a part, in the zone shown.
#[component]
fn FindCover(
    link: CoverLink,
    known: Known,
    zone: BrowserZone,
    action: RwSignal<Action>,
) -> impl IntoView {
    let Some(client) = use_client() else {
        return ().into_any();
    };
    let now = crate::client::clock::use_clock().now_untracked();
    let Some(shift) = cover::remaining(&link, now) else {
        return ().into_any();
    };
    let me = known.me.id.clone();
    // The schedule's own people first: everyone its layers and final row have in this range.
    let mut on_schedule: Vec<(String, String)> = vec![];
    let rows = known.timeline.rows.iter().map(|(_, row)| row);
    for s in std::iter::once(&known.timeline.final_shifts)
        .chain(rows)
        .flatten()
    {
        if let Some(id) = s.person.user_id().filter(|id| *id != me) {
            if !on_schedule.iter().any(|(known, _)| known == id) {
                on_schedule.push((id.to_string(), s.person.name().to_string()));
            }
        }
    }
    let found = RwSignal::new(Vec::<(String, String)>::new());
    let chosen = RwSignal::new(None::<(String, String)>);
    let from = RwSignal::new(cover::local_input(&zone, shift.start));
    let to = RwSignal::new(cover::local_input(&zone, shift.end));
    let problem = RwSignal::new(None::<String>);
    let client = StoredValue::new_local(client);
    let choice = move |(id, name): (String, String)| {
        let value = id.clone();
        let picked = (id.clone(), name.clone());
        view! {
            <li>
                <label>
                    <input type="radio" name="cover-who" value=value
                        prop:checked=move || chosen.with(|c| c.as_ref().is_some_and(|(c, _)| *c == id))
                        on:change=move |_| chosen.set(Some(picked.clone())) />
                    " " {name}
                </label>
            </li>
        }
    };
    let listed = on_schedule.clone();
    let written = zone.clone();
    let give = move |_| {
        if action.get_untracked() == Action::Sending {
            return;
        }
        let Some((who, _)) = chosen.get_untracked() else {
            problem.set(Some("Choose who covers it.".into()));
            return;
        };
        let write = |t| written.format(t, Style::DayTime);
        let part = match cover::part(
            &written,
            shift,
            &from.get_untracked(),
            &to.get_untracked(),
            write,
        ) {
            Ok(part) => part,
            Err(why) => {
                problem.set(Some(why.to_string()));
                return;
            }
        };
        problem.set(None);
        let replacing = Some(known.me.id.clone());
        start_take(
            action,
            client.get_value(),
            &link,
            &known,
            part,
            who,
            replacing,
        );
    };
    let sending = move || action.get() == Action::Sending;
    let label = move || match chosen.get() {
        Some((_, name)) => format!("Give it to {name}"),
        None => "Give it to…".to_string(),
    };
    view! {
        <section class="find-cover" aria-labelledby="find-cover-heading">
            <h2 id="find-cover-heading">"Or choose who covers it"</h2>
            {(!listed.is_empty()).then(|| view! {
                <p class="muted">"On this schedule then:"</p>
                <ul class="plain people">{listed.into_iter().map(choice).collect_view()}</ul>
            })}
            <PersonSearch me=me.clone() found />
            <ul class="plain people found">{move || found.get().into_iter().map(choice).collect_view()}</ul>
            <div class="part">
                <label>{format!("From ({})", zone.name())}
                    <input type="datetime-local" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                </label>
                <label>{format!("To ({})", zone.name())}
                    <input type="datetime-local" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                </label>
            </div>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <button class="primary" on:click=give disabled=sending>{label}</button>
        </section>
    }
    .into_any()
}

/// Finds people by name or email (`/users?query=`) into `found`, leaving out `me`.
#[component]
pub(crate) fn PersonSearch(me: String, found: RwSignal<Vec<(String, String)>>) -> impl IntoView {
    let client = StoredValue::new_local(use_client());
    let query = RwSignal::new(String::new());
    let searched = RwSignal::new(None::<String>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = query.get_untracked().trim().to_string();
        if text.chars().count() < 2 {
            searched.set(Some(
                "Type at least two letters of a name or an email.".into(),
            ));
            return;
        }
        let (Some(client), me) = (client.get_value(), me.clone()) else {
            return;
        };
        searched.set(Some("Searching…".into()));
        leptos::task::spawn_local(async move {
            match client
                .all(&oncall_core::api::endpoints::users(&text), None)
                .await
            {
                Ok(list) => {
                    let people: Vec<(String, String)> = list
                        .items
                        .into_iter()
                        .filter(|u| u.id != me)
                        .take(20)
                        .map(|u| (u.id.clone(), u.display_name().to_string()))
                        .collect();
                    searched.set(
                        people
                            .is_empty()
                            .then(|| format!("Nobody matches “{text}”.")),
                    );
                    found.set(people);
                }
                Err(e) => searched.set(Some(format!("Could not search: {e}"))),
            }
        });
    };
    view! {
        <form class="search-people" on:submit=search>
            <label for="cover-search">"Someone else"</label>
            <input id="cover-search" type="search" placeholder="Name or email"
                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
            <button class="secondary" type="submit">"Search"</button>
        </form>
        {move || searched.get().map(|s| view! { <p class="muted" role="status">{s}</p> })}
    }
}

/// On the person's own shift: the link to send to whoever could take it.
#[component]
fn AskForCover(link: CoverLink) -> impl IntoView {
    let nav = use_nav();
    let address = format!(
        "{}{}",
        window().location().origin().unwrap_or_default(),
        nav.href(&link.href())
    );
    let copied = RwSignal::new(false);
    let text = address.clone();
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text);
        copied.set(true);
    };
    view! {
        <p class="status" role="status">"You are on call for all of this. Send this link to whoever could take it: they open it, sign in, and take it in one click."</p>
        <div class="cover-link">
            <label for="cover-link">"Cover link"</label>
            <input id="cover-link" type="text" readonly value=address />
            <button class="secondary" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy a cover link" }}</button>
        </div>
    }
}
