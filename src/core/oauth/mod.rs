//! PagerDuty's Classic User OAuth with PKCE, for a public (browser) client.
//!
//! Every step is a pure function from data to data: the browser glue in `crate::browser`
//! moves the results between storage, the address bar and the network.

pub mod authorize;
pub mod callback;
pub mod pkce;
pub mod token;
