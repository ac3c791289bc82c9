//! One module per screen.

pub mod home;
pub mod not_found;
pub mod setup;
pub mod signed_out;
