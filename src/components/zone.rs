//! The time zone of the view: chosen in the header, carried in the URL as `?tz=`.

use crate::browser::storage::SessionStorage;
use crate::browser::zone::{browser_zone, zone_names, BrowserZone};
use crate::client::me::{use_me, Me};
use crate::navigation::use_nav;
use leptos::prelude::*;
use oncall_core::routes::with_param;
use oncall_core::storage::{self, Store};

/// The zone every view of the signed-in page draws in, one `Memo` shared through context.
#[derive(Clone, Copy)]
struct ViewZone(Memo<BrowserZone>);

/// Works out the view's zone, once for the signed-in page: `?tz=` if the browser knows it,
/// else this tab's last choice, else the user's own PagerDuty zone (as last loaded in this tab
/// until their profile arrives), else the browser's. Keeps the person's own zone for the next
/// view drawn in this tab.
pub fn provide_zone(me: Me) {
    let nav = use_nav();
    let store = move || SessionStorage::for_app(&nav.base().path);
    let zone = Memo::new(move |_| {
        let store = store();
        let stored = |key| store.get(key).and_then(|z| BrowserZone::new(&z));
        nav.param("tz")
            .and_then(|z| BrowserZone::new(&z))
            .or_else(|| stored(storage::ZONE_KEY))
            .or_else(|| match me.0.get()? {
                Ok(user) => BrowserZone::new(&user.time_zone?),
                Err(_) => None,
            })
            .or_else(|| stored(storage::OWN_ZONE_KEY))
            .unwrap_or_else(browser_zone)
    });
    provide_context(ViewZone(zone));
    Effect::new(move |_| {
        if let Some(Ok(zone)) = me.0.get().map(|r| r.map(|u| u.time_zone)) {
            match zone {
                Some(zone) => drop(store().set(storage::OWN_ZONE_KEY, &zone)),
                None => store().remove(storage::OWN_ZONE_KEY),
            }
        }
    });
}

/// The zone to draw times in (tracked).
pub fn use_zone() -> Memo<BrowserZone> {
    expect_context::<ViewZone>().0
}

#[component]
pub fn ZonePicker() -> impl IntoView {
    let zone = use_zone();
    let me = use_me();
    let nav = use_nav();
    let problem = RwSignal::new(None::<String>);
    // The browser's ~400 zone names are put in the list when the field is first focused, not
    // while the page is drawing its first data.
    let names = RwSignal::new(Vec::<String>::new());
    let fill_names = move |_| {
        if names.with_untracked(Vec::is_empty) {
            names.set(zone_names());
        }
    };
    let choose = move |name: String| {
        let Some(chosen) = BrowserZone::new(&name) else {
            problem.set(Some(format!(
                "\"{}\" is not a time zone this browser knows. Pick one from the list, like Europe/Oslo or America/New_York.",
                name.trim()
            )));
            return;
        };
        problem.set(None);
        let _ = SessionStorage::for_app(&nav.base().path).set(storage::ZONE_KEY, chosen.name());
        let query = with_param(&nav.query_untracked(), "tz", Some(chosen.name()));
        nav.set_query(query, true);
    };
    let mine = move || me.and_then(|m| m.0.get()?.ok()?.time_zone);
    let browser = browser_zone().0;
    view! {
        <div class="zone-picker">
            <label for="zone-input">"Time zone"</label>
            <input
                id="zone-input"
                list="zone-names"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || zone.get().0
                on:change=move |ev| choose(event_target_value(&ev))
                on:focus=fill_names
            />
            <datalist id="zone-names">
                {move || names.get().into_iter().map(|n| view! { <option value=n></option> }).collect_view()}
            </datalist>
            <span class="zone-shortcuts">
                {
                    move || mine().map(|z| {
                        let title = format!("Your PagerDuty time zone, {z}");
                        view! { <button class="link" title=title on:click=move |_| choose(z.clone())>"Mine"</button> }
                    })
                }
                <button class="link" title=format!("This browser's time zone, {browser}") on:click={
                    let browser = browser.clone();
                    move |_| choose(browser.clone())
                }>"Browser"</button>
                <button class="link" on:click=move |_| choose("UTC".into())>"UTC"</button>
            </span>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        </div>
    }
}
