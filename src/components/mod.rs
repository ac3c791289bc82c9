//! Small pieces the pages share.

pub mod loaded;
