//! The line under the header while requests wait. The transport raises what it is waiting
//! for ([`Waiting`]); the words people read are written here, once.

use leptos::prelude::*;

/// Why a request is waiting before it is tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiting {
    /// The browser has no connection; the request goes when it comes back.
    Offline,
    /// PagerDuty answered 429; tried again in `seconds`.
    RateLimited { seconds: u64 },
    /// PagerDuty answered 5xx, or not at all; tried again in `seconds`.
    NoAnswer { seconds: u64 },
}

impl Waiting {
    pub fn sentence(&self) -> String {
        match self {
            Waiting::Offline => "You are offline. Waiting for the connection to come back…".into(),
            Waiting::RateLimited { seconds } => {
                format!("PagerDuty asked us to slow down; retrying in {seconds} s…")
            }
            Waiting::NoAnswer { seconds } => {
                format!("PagerDuty did not answer; retrying in {seconds} s…")
            }
        }
    }
}

/// The waiting notice of the signed-in page, shared through context. Several requests may
/// wait at once: the notice belongs to the one that raised it last, and only that one clears it.
#[derive(Clone, Copy)]
pub struct Notices {
    shown: RwSignal<Option<(u64, Waiting)>>,
    next_owner: StoredValue<u64>,
}

/// One request's claim on the notice.
#[derive(Debug, Default)]
pub struct Ticket(Option<u64>);

impl Notices {
    pub fn new() -> Self {
        Self {
            shown: RwSignal::new(None),
            next_owner: StoredValue::new(0),
        }
    }

    /// The sentence to show, if any (tracked).
    pub fn sentence(&self) -> Option<String> {
        self.shown
            .with(|n| n.as_ref().map(|(_, why)| why.sentence()))
    }

    /// Shows why the request holding `ticket` waits.
    pub fn raise(&self, ticket: &mut Ticket, why: Waiting) {
        let owner = *ticket.0.get_or_insert_with(|| {
            self.next_owner.update_value(|n| *n += 1);
            self.next_owner.get_value()
        });
        self.shown.set(Some((owner, why)));
    }

    /// Clears the notice if the request holding `ticket` raised it; another's stays.
    pub fn clear(&self, ticket: &Ticket) {
        let Some(owner) = ticket.0 else { return };
        let mine = self
            .shown
            .with_untracked(|n| n.as_ref().is_some_and(|(id, _)| *id == owner));
        if mine {
            self.shown.set(None);
        }
    }
}

impl Default for Notices {
    fn default() -> Self {
        Self::new()
    }
}
