//! Every in-app URL, spelled once.

/// A page of the app. [`Route::path`] is the only place in-app URLs are built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
}

impl Route {
    /// The path inside the app (the router adds the base path).
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_is_the_root() {
        assert_eq!(Route::Home.path(), "/");
    }
}
