//! Small pieces the pages share.

pub mod deferred;
pub mod directory;
pub mod levels;
pub mod link;
pub mod loaded;
pub mod search;
pub mod team_choice;
pub mod timeline_view;
pub mod zone;
