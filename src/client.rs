//! The authorized client: sends API requests with this tab's token and reacts to the answer.

use crate::api::{self, Api, ApiError, Page};
use crate::app::{Auth, AuthContext};
use crate::browser::fetch;
use crate::http::HttpRequest;
use serde::de::DeserializeOwned;

/// Everything loaded from a list endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// PagerDuty has more than its offset ceiling lets us read: say so, never hide it.
    pub truncated: bool,
}

#[derive(Clone)]
pub struct Client {
    api: Api,
    auth: AuthContext,
}

impl Client {
    pub fn new(api: Api, auth: AuthContext) -> Self {
        Self { api, auth }
    }

    /// Sends a request; a 401 ends the session (the token expired or was revoked in
    /// PagerDuty) and sends the person to sign in again, back to where they were.
    async fn send(&self, request: HttpRequest) -> Result<crate::http::HttpResponse, ApiError> {
        let response = fetch::send(&request).await.map_err(|_| ApiError::Network)?;
        if response.status == 401 {
            self.auth.session_ended(ApiError::Unauthorized.to_string());
            return Err(ApiError::Unauthorized);
        }
        Ok(response)
    }

    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        api::decode(&self.send(self.api.get(path, query)).await?)
    }

    /// Every page of a list, whose items are named `key` in the answer.
    pub async fn all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        key: &str,
    ) -> Result<Listing<T>, ApiError> {
        let mut items = Vec::new();
        let mut offset = 0;
        loop {
            let page: Page<T> =
                api::decode_page(&self.send(self.api.page(path, query, offset)).await?, key)?;
            let next = api::next_offset(&page);
            let more = page.more;
            items.extend(page.items);
            match next {
                Some(next) => offset = next,
                None => {
                    return Ok(Listing {
                        items,
                        truncated: more,
                    })
                }
            }
        }
    }
}

/// The current client, for pages under the signed-in shell.
pub fn use_client() -> Option<Client> {
    let auth = leptos::prelude::use_context::<AuthContext>()?;
    let api = auth.with_session(|session| match session {
        Auth::SignedIn(session) => Some(Api::new(
            session.api_base_url.clone(),
            session.access_token.clone(),
        )),
        _ => None,
    })?;
    Some(Client::new(api, auth))
}
