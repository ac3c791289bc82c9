//! Who is signed in: their profile, loaded once for the whole session, with its other first
//! requests.

use super::{resource, ApiResource};
use leptos::prelude::*;
use oncall_core::api::endpoints;
use oncall_core::api::types::User;

/// The signed-in user, shared through context.
#[derive(Clone, Copy)]
pub struct Me(pub ApiResource<User>);

impl Me {
    /// Starts loading the signed-in user's profile (`/users/me`).
    pub fn load() -> Self {
        Me(resource(|c| async move {
            c.get(&endpoints::me()).await.map(|e| e.user)
        }))
    }
}

/// The signed-in user, for views under the signed-in shell.
pub fn use_me() -> Option<Me> {
    use_context::<Me>()
}
