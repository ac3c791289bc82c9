//! One team: its members with their role, time zone and contact, and its schedules.

use crate::client::clock::use_clock;
use crate::client::{resource, Listing, Progress};
use crate::components::link::{PagerDutyLink, PersonLink, RouteLink};
use crate::components::loaded::Loaded;
use crate::components::search::{matches, SearchBox};
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::api::types::{Schedule, Team, TeamMember};
use oncall_core::api::{self, endpoints};
use oncall_core::routes::Route;
use oncall_core::text::{mailto, thousands};

#[component]
pub fn TeamPage() -> impl IntoView {
    let nav = use_nav();
    let id = nav.id();
    let progress = RwSignal::new(Progress::default());
    let filter = RwSignal::new(String::new());
    // A team's members and schedules do not follow the time, but a team left on a wall still
    // renews them with the page.
    let clock = use_clock();
    let team = resource(move |c| {
        let id = id.get();
        clock.renewing();
        async move { c.get(&endpoints::team(&id)?).await.map(|e| e.team) }
    });
    let members = resource(move |c| {
        let id = id.get();
        clock.renewing();
        async move { c.all(&endpoints::team_members(&id)?, Some(progress)).await }
    });
    let schedules = resource(move |c| {
        let id = id.get();
        clock.renewing();
        async move {
            api::check_id(&id)?;
            c.all(&endpoints::team_schedules(&id), None).await
        }
    });
    view! {
        <nav class="crumbs"><RouteLink route=Route::Teams>"← All teams"</RouteLink></nav>
        <section class="panel" aria-labelledby="team-heading">
            <Loaded resource=team label="the team" render={move |team: Team| view! {
                <h1 id="team-heading">{team.display_name().to_string()}</h1>
                {team.description.clone().filter(|d| !d.is_empty()).map(|d| view! { <p class="muted">{d}</p> })}
                <p class="links"><PagerDutyLink url=team.html_url.clone()>"Open in PagerDuty"</PagerDutyLink></p>
            }} />
        </section>
        <div class="columns wide-first">
            <section class="panel" aria-labelledby="members-heading">
                <h2 id="members-heading">"Members"</h2>
                <SearchBox filter label="Find a member" server=false />
                <Loaded resource=members label="team members" progress render={move |list: Listing<TeamMember>| view! { <MemberTable list filter /> }} />
            </section>
            <section class="panel" aria-labelledby="team-schedules-heading">
                <h2 id="team-schedules-heading">"Schedules"</h2>
                <Loaded resource=schedules label="the team's schedules" render={move |list: Listing<Schedule>| {
                    if list.items.is_empty() {
                        view! { <p class="empty">"This team has no schedules you can see."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain">
                                {list.items.into_iter().map(|s| view! {
                                    <li><RouteLink route=Route::Schedule(s.id.clone())>{s.display_name().to_string()}</RouteLink></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }} />
            </section>
        </div>
    }
}

#[component]
fn MemberTable(list: Listing<TeamMember>, filter: RwSignal<String>) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p class="empty">"This team has no members."</p> }.into_any();
    }
    let total = list.items.len();
    let members = StoredValue::new(list.items);
    // Indices of the members the filter lets through, in order.
    let matching = Memo::new(move |_| {
        let filter = filter.get();
        members.with_value(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, m)| matches(m.user.display_name(), &filter))
                .map(|(i, _)| i)
                .collect::<Vec<usize>>()
        })
    });
    let shown = move || matching.with(Vec::len);
    // A framed page is sized by its portal, which scrolls it: it cannot tell which rows are
    // in view, so it draws them all.
    let windowed = total > WINDOW_FROM && !crate::browser::frame::is_framed();
    view! {
        {list.truncated.then(|| view! { <p class="notice" role="status">"PagerDuty lists at most 10,000 members here; the rest are not shown."</p> })}
        <p class="muted count" aria-live="polite">{move || format!("{} of {} members", thousands(shown()), thousands(total))}</p>
        <table class="list members" class:windowed=windowed aria-rowcount=move || shown() + 1>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Time zone"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col"><span class="visually-hidden">"PagerDuty profile"</span></th>
                </tr>
            </thead>
            <MemberRows members matching windowed />
        </table>
    }
    .into_any()
}

/// Above this many members the table draws only the rows in view (and a few either side),
/// with empty space standing in for the rest, so a team of 10,000 costs what a screenful does.
/// "Find a member" searches them all.
const WINDOW_FROM: usize = 500;
/// Rows drawn beyond each edge of the view, so a fast scroll does not show blank space.
const OVERSCAN: usize = 15;

/// The rows of the `matching` members. `windowed`: only those in view, with spacers for the
/// rest. Otherwise all of them, added a slice per frame so that no single task holds the page
/// for long.
#[component]
fn MemberRows(
    members: StoredValue<Vec<TeamMember>>,
    matching: Memo<Vec<usize>>,
    windowed: bool,
) -> impl IntoView {
    let body = NodeRef::<leptos::html::Tbody>::new();
    // Windowed: where the table body is (its top relative to the window, the window's
    // height) and the height of one row, measured once a row is drawn.
    let view_box = RwSignal::new(ViewBox::default());
    // Not windowed: how many rows are drawn so far.
    let drawn = RwSignal::new(ROWS_PER_FRAME);
    if windowed {
        let measure = move || {
            if let Some(body) = body.get_untracked() {
                let next = ViewBox::measure(&body, view_box.get_untracked().row_px);
                if next != view_box.get_untracked() {
                    view_box.set(next);
                }
            }
        };
        let scroll = window_event_listener(leptos::ev::scroll, move |_| measure());
        let resize = window_event_listener(leptos::ev::resize, move |_| measure());
        on_cleanup(move || {
            scroll.remove();
            resize.remove();
        });
        request_animation_frame(move || {
            measure();
            crate::browser::mark_painted("team-members");
        });
    } else {
        draw_more(drawn, members.with_value(Vec::len));
    }
    let range = Memo::new(move |_| {
        matching.with(|m| match windowed {
            true => view_box.get().rows(m.len()),
            false => 0..drawn.get().min(m.len()),
        })
    });
    let spacer = move |rows: usize| match windowed {
        true => format!("{}px", rows as f64 * view_box.get().row_px),
        false => "0px".into(),
    };
    view! {
        <tbody node_ref=body>
            <tr class="spacer" aria-hidden="true">
                <td colspan="5" style:height=move || spacer(range.get().start)></td>
            </tr>
            <For each=move || matching.with(|m| m[range.get()].to_vec()) key=|index| *index let:index>
                {members.with_value(|all| {
                    // Its row number for assistive technology (the header is row 1).
                    let row_index = move || matching.with(|m| m.binary_search(&index).ok().map(|p| p + 2));
                    member_row(&all[index], row_index)
                })}
            </For>
            <tr class="spacer" aria-hidden="true">
                <td colspan="5" style:height=move || spacer(matching.with(Vec::len) - range.get().end)></td>
            </tr>
        </tbody>
    }
}

/// The part of a windowed table's body that is in view.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ViewBox {
    /// The body's top, relative to the window's top (negative once scrolled past).
    top: f64,
    /// The window's height.
    height: f64,
    /// One row's height.
    row_px: f64,
}

impl Default for ViewBox {
    fn default() -> Self {
        Self {
            top: 0.0,
            height: 800.0,
            row_px: 37.0,
        }
    }
}

impl ViewBox {
    /// Reads where `body` is now; `row_px` stands until a row can be measured.
    fn measure(body: &web_sys::HtmlElement, row_px: f64) -> Self {
        let row_px = body
            .query_selector("tr.member")
            .ok()
            .flatten()
            .map(|row| row.get_bounding_client_rect().height())
            .filter(|h| *h >= 1.0)
            .unwrap_or(row_px);
        let height = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(800.0);
        Self {
            top: body.get_bounding_client_rect().top(),
            height,
            row_px,
        }
    }

    /// The rows of `count` to draw: those in view, and [`OVERSCAN`] more either side.
    fn rows(&self, count: usize) -> std::ops::Range<usize> {
        let first = (-self.top / self.row_px).floor().max(0.0) as usize;
        let in_view = (self.height / self.row_px).ceil() as usize + 1;
        let start = first.saturating_sub(OVERSCAN).min(count);
        let end = (first + in_view + OVERSCAN).min(count);
        start..end.max(start)
    }
}

/// Rows added per animation frame when drawing a long table.
const ROWS_PER_FRAME: usize = 150;

/// Grows `drawn` to `total` one slice per frame; marks the table drawn when it is complete.
fn draw_more(drawn: RwSignal<usize>, total: usize) {
    if drawn.get_untracked() >= total {
        crate::browser::mark_painted("team-members");
        return;
    }
    request_animation_frame(move || {
        if drawn
            .try_update(|d| *d = (*d + ROWS_PER_FRAME).min(total))
            .is_some()
        {
            draw_more(drawn, total);
        }
    });
}

/// One member's row; `row_index` numbers it among the rows that pass the filter.
fn member_row(
    member: &TeamMember,
    row_index: impl Fn() -> Option<usize> + Send + Sync + 'static,
) -> impl IntoView {
    let user = member.user.clone();
    let name = user.display_name().to_string();
    let mail = mailto(&user.email);
    view! {
        <tr class="member" aria-rowindex=row_index>
            <th scope="row"><PersonLink id=user.id.clone() name /></th>
            <td class="role">{member.role.clone()}</td>
            <td>{user.time_zone.clone().unwrap_or_default()}</td>
            <td>{mail.map(|href| view! { <a href=href>{user.email.clone()}</a> })}</td>
            <td><PagerDutyLink url=user.html_url.clone()>"Profile"</PagerDutyLink></td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(top: f64, count: usize) -> std::ops::Range<usize> {
        ViewBox {
            top,
            height: 800.0,
            row_px: 40.0,
        }
        .rows(count)
    }

    #[test]
    fn a_window_draws_the_rows_in_view_and_a_margin_either_side() {
        // 800 px show 20 rows; one more for a row cut at the edge; 15 either side.
        assert_eq!(rows(0.0, 10_000), 0..36);
        assert_eq!(rows(300.0, 10_000), 0..36, "the table starts below the top");
        assert_eq!(rows(-4_000.0, 10_000), 85..136, "scrolled 100 rows down");
        assert_eq!(rows(-4_000.0, 110), 85..110, "near the end");
        assert_eq!(rows(-400_000.0, 110), 110..110, "past the end: nothing");
        assert_eq!(rows(0.0, 0), 0..0);
    }
}
