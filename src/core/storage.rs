//! What the app stores, under which keys, and how it reads it back.
//!
//! The [`Store`] trait is the seam: the browser implements it with `sessionStorage`, the host
//! tests with [`MemoryStore`]. Nothing here ever touches `localStorage`.

use crate::address::Routing;
use crate::session::{PendingSignIn, Session};
use std::cell::RefCell;
use std::collections::HashMap;

/// The signed-in session of this tab.
pub const SESSION_KEY: &str = "pagerduty-oncall.session";
/// The sign-in this tab started and has not finished.
pub const PENDING_KEY: &str = "pagerduty-oncall.pending-sign-in";

/// The time zone this tab last chose (not a secret; per tab like everything else).
pub const ZONE_KEY: &str = "pagerduty-oncall.time-zone";

/// The signed-in person's own PagerDuty time zone, as last loaded: a view drawn before their
/// profile arrives (a reload) starts in it, instead of loading its window twice.
pub const OWN_ZONE_KEY: &str = "pagerduty-oncall.own-time-zone";

/// What the host answered when the page asked it for an inner path (see
/// [`crate::address::routing_for_probe`]), so that the question is asked once per tab.
pub const ROUTING_KEY: &str = "pagerduty-oncall.routing";

/// The name under which `key` is kept for the app deployed at `base_path`. Deployments that
/// share an origin (`/a/oncall/` and `/b/oncall/`, or two project sites on one GitHub Pages
/// origin) share `sessionStorage`, but never a session or a pending sign-in.
pub fn scoped_key(key: &str, base_path: &str) -> String {
    format!("{key}@{base_path}")
}

/// The host's verdict for the app at `base_path`, if this tab learnt it already.
pub fn load_routing(store: &impl Store, base_path: &str) -> Option<Routing> {
    let text = store.get(ROUTING_KEY)?;
    let (path, routing) = text.split_once(' ')?;
    (path == base_path).then_some(())?;
    match routing {
        "path" => Some(Routing::Path),
        "hash" => Some(Routing::Hash),
        _ => None,
    }
}

/// Remembers the host's verdict for the app at `base_path` (one app per origin and tab).
pub fn save_routing(store: &impl Store, base_path: &str, routing: Routing) {
    let name = match routing {
        Routing::Path => "path",
        Routing::Hash => "hash",
    };
    let _ = store.set(ROUTING_KEY, &format!("{base_path} {name}"));
}

/// The browser refused to store something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("This browser does not let the page keep your sign-in for this tab (session storage is blocked or full). Allow site data for this page, or open it in its own tab, and try again.")]
pub struct StorageError;

/// A string key-value store scoped to one tab.
pub trait Store {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&self, key: &str);
}

/// Reads the session; a record that does not parse (an older version, tampering) is removed.
pub fn load_session(store: &impl Store) -> Option<Session> {
    let text = store.get(SESSION_KEY)?;
    let session = serde_json::from_str(&text).ok();
    if session.is_none() {
        store.remove(SESSION_KEY);
    }
    session
}

pub fn save_session(store: &impl Store, session: &Session) -> Result<(), StorageError> {
    let text = serde_json::to_string(session).map_err(|_| StorageError)?;
    store.set(SESSION_KEY, &text)
}

/// Forgets the session and what belonged to its person.
pub fn clear_session(store: &impl Store) {
    store.remove(SESSION_KEY);
    store.remove(OWN_ZONE_KEY);
}

pub fn save_pending(store: &impl Store, pending: &PendingSignIn) -> Result<(), StorageError> {
    let text = serde_json::to_string(pending).map_err(|_| StorageError)?;
    store.set(PENDING_KEY, &text)
}

/// Removes the pending sign-in and returns it. It is removed *before* it is used, so that
/// however often this runs for one callback, at most one caller gets the verifier.
pub fn take_pending(store: &impl Store) -> Option<PendingSignIn> {
    let text = store.get(PENDING_KEY)?;
    store.remove(PENDING_KEY);
    serde_json::from_str(&text).ok()
}

/// An in-memory [`Store`], for tests and for browsers that refuse storage.
#[derive(Default)]
pub struct MemoryStore(RefCell<HashMap<String, String>>);

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.borrow().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.0
            .borrow_mut()
            .insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&self, key: &str) {
        self.0.borrow_mut().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::pkce::Verifier;
    use crate::secret::Secret;

    fn pending() -> PendingSignIn {
        PendingSignIn {
            verifier: Verifier::from_text("verifier"),
            state: "state".into(),
            return_to: "/teams".into(),
            created_at_ms: 1.0,
        }
    }

    #[test]
    fn the_hosts_verdict_is_kept_for_its_base_path_only() {
        let store = MemoryStore::default();
        assert_eq!(load_routing(&store, "/tools/oncall/"), None);
        save_routing(&store, "/tools/oncall/", Routing::Hash);
        assert_eq!(load_routing(&store, "/tools/oncall/"), Some(Routing::Hash));
        assert_eq!(load_routing(&store, "/"), None, "another app on the origin");
        save_routing(&store, "/", Routing::Path);
        assert_eq!(load_routing(&store, "/"), Some(Routing::Path));
        store.set(ROUTING_KEY, "/ sideways").expect("stored");
        assert_eq!(load_routing(&store, "/"), None);
    }

    #[test]
    fn each_deployment_on_an_origin_has_its_own_keys() {
        assert_eq!(
            scoped_key(SESSION_KEY, "/tools/oncall/"),
            "pagerduty-oncall.session@/tools/oncall/"
        );
        assert_ne!(
            scoped_key(SESSION_KEY, "/a/oncall/"),
            scoped_key(SESSION_KEY, "/b/oncall/")
        );
    }

    #[test]
    fn a_pending_sign_in_can_be_taken_only_once() {
        let store = MemoryStore::default();
        save_pending(&store, &pending()).expect("stored");
        assert_eq!(take_pending(&store), Some(pending()));
        assert_eq!(take_pending(&store), None);
    }

    #[test]
    fn a_corrupt_pending_record_is_removed_and_ignored() {
        let store = MemoryStore::default();
        store.set(PENDING_KEY, "{not json").expect("stored");
        assert_eq!(take_pending(&store), None);
        assert_eq!(store.get(PENDING_KEY), None);
    }

    #[test]
    fn a_session_round_trips_and_a_corrupt_one_is_dropped() {
        let store = MemoryStore::default();
        let session = Session {
            access_token: Secret::new("pdus+_0XBPWQQ_a"),
            refresh_token: None,
            expires_at_ms: Some(9.0),
            scope: "read".into(),
            api_base_url: "https://api.pagerduty.com".into(),
            user_id: Some("PU1".into()),
        };
        save_session(&store, &session).expect("stored");
        assert_eq!(load_session(&store), Some(session));
        store.set(OWN_ZONE_KEY, "Europe/Oslo").expect("stored");
        clear_session(&store);
        assert_eq!(load_session(&store), None);
        assert_eq!(
            store.get(OWN_ZONE_KEY),
            None,
            "the next person has a zone of their own"
        );
        store
            .set(SESSION_KEY, r#"{"access_token": 5}"#)
            .expect("stored");
        assert_eq!(load_session(&store), None);
        assert_eq!(store.get(SESSION_KEY), None);
    }
}
