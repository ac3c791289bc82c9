//! Requests and responses as plain data.
//!
//! Pure code builds an [`HttpRequest`] and interprets an [`HttpResponse`]; only the browser
//! module sends anything. That split lets the host tests check exact requests and feed exact
//! responses, the way oauth2-rs and oauth4webapi test theirs.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    /// A body, for POSTs (form-encoded or JSON, as its `Content-Type` header says).
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Prints header names and the body's size only: requests carry tokens, codes and verifiers.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_bytes", &self.body.as_ref().map(String::len))
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The request never got an HTTP answer: offline, DNS, CORS refusal, or aborted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Could not reach {host}. Check your connection and try again.")]
pub struct NetworkError {
    pub host: String,
}

pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
