//! One module per screen.

pub mod home;
pub mod not_found;
pub mod schedule;
pub mod schedules;
pub mod setup;
pub mod signed_out;
pub mod team;
pub mod teams;
pub mod user;
