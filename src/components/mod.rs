//! Small pieces the pages share.

pub mod link;
pub mod loaded;
pub mod search;
pub mod timeline;
pub mod zone;
