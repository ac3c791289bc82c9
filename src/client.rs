//! The authorized client: sends API requests with this tab's token, caches answers for the
//! session, loads every page of a list in parallel, and reacts to a revoked token.

use crate::api::{self, Api, ApiError, Page};
use crate::app::{Auth, AuthContext};
use crate::browser::{fetch, now_ms};
use crate::http::HttpResponse;
use futures::StreamExt;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// How long an answer is reused when moving between views; the refresh button skips it.
const FRESH_MS: f64 = 5.0 * 60.0 * 1000.0;
/// Requests in flight at once per list. PagerDuty allows 960 a minute per user and app.
pub const CONCURRENCY: usize = 8;

/// Everything loaded from a list endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// PagerDuty has more than its offset ceiling lets us read: say so, never hide it.
    pub truncated: bool,
}

/// Loaded and total items of a list that is still loading.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub loaded: usize,
    pub total: usize,
}

/// Answers cached for this tab's session, and the refresh generation views track.
#[derive(Clone, Copy)]
pub struct Store {
    cache: StoredValue<HashMap<String, (f64, HttpResponse)>, LocalStorage>,
    generation: RwSignal<u64>,
}

impl Store {
    pub fn new() -> Self {
        Self {
            cache: StoredValue::new_local(HashMap::new()),
            generation: RwSignal::new(0),
        }
    }

    /// Forgets every cached answer and makes every view that tracks it load again.
    pub fn refresh(&self) {
        self.cache.update_value(HashMap::clear);
        self.generation.update(|g| *g += 1);
    }

    /// Read inside a resource's fetcher so that [`Store::refresh`] reruns it.
    pub fn track(&self) {
        self.generation.track();
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone)]
pub struct Client {
    api: Api,
    auth: AuthContext,
    store: Store,
}

impl Client {
    /// Sends a GET, or answers it from the cache. A 401 ends the session (the token expired or
    /// was revoked in PagerDuty) and sends the person to sign in again, back to this view.
    async fn get_response(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<HttpResponse, ApiError> {
        let request = self.api.get(path, query);
        let key = request.url.clone();
        let now = now_ms();
        if let Some(hit) = self.store.cache.with_value(|c| {
            c.get(&key)
                .filter(|(at, _)| now - at < FRESH_MS)
                .map(|(_, r)| r.clone())
        }) {
            return Ok(hit);
        }
        let response = fetch::send(&request).await.map_err(|_| ApiError::Network)?;
        if response.status == 401 {
            self.auth.session_ended(ApiError::Unauthorized.to_string());
            return Err(ApiError::Unauthorized);
        }
        if response.is_success() {
            self.store.cache.update_value(|c| {
                c.insert(key, (now, response.clone()));
            });
        }
        Ok(response)
    }

    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        api::decode(&self.get_response(path, query).await?)
    }

    async fn page<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        key: &str,
        offset: u32,
    ) -> Result<Page<T>, ApiError> {
        let limit = api::MAX_LIMIT.to_string();
        let offset_text = offset.to_string();
        let mut pairs = query.to_vec();
        pairs.extend([
            ("limit", limit.as_str()),
            ("offset", offset_text.as_str()),
            ("total", "true"),
        ]);
        api::decode_page(&self.get_response(path, &pairs).await?, key)
    }

    /// Every page of a list. The first page says how many there are; the rest are requested
    /// together, at most [`CONCURRENCY`] at a time, and `progress` follows along.
    pub async fn all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        key: &str,
        progress: Option<RwSignal<Progress>>,
    ) -> Result<Listing<T>, ApiError> {
        let first: Page<T> = self.page(path, query, key, 0).await?;
        let report = |loaded: usize, total: usize| {
            if let Some(p) = progress {
                p.set(Progress { loaded, total });
            }
        };
        let Some(total) = first.total.filter(|_| first.more) else {
            return self.rest_in_sequence(path, query, key, first).await;
        };
        let (offsets, truncated) = api::remaining_offsets(total, first.items.len() as u32);
        let mut items = first.items;
        report(items.len(), total as usize);
        let mut pages = futures::stream::iter(offsets)
            .map(|offset| self.page::<T>(path, query, key, offset))
            .buffered(CONCURRENCY);
        while let Some(page) = pages.next().await {
            items.extend(page?.items);
            report(items.len(), total as usize);
        }
        Ok(Listing { items, truncated })
    }

    /// Without a total (or with one page), follow `more` page by page.
    async fn rest_in_sequence<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        key: &str,
        mut page: Page<T>,
    ) -> Result<Listing<T>, ApiError> {
        let mut items = Vec::new();
        loop {
            let next = api::next_offset(&page);
            let more = page.more;
            items.extend(page.items);
            match next {
                Some(offset) => page = self.page(path, query, key, offset).await?,
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

/// The current client, for views under the signed-in shell.
pub fn use_client() -> Option<Client> {
    let auth = use_context::<AuthContext>()?;
    let store = use_context::<Store>()?;
    let api = auth.with_session(|session| match session {
        Auth::SignedIn(session) => Some(Api::new(
            session.api_base_url.clone(),
            session.access_token.clone(),
        )),
        _ => None,
    })?;
    Some(Client { api, auth, store })
}

/// A resource loaded with the signed-in client, reloaded by the refresh button and whenever a
/// signal it reads changes.
pub fn resource<T, Fut>(
    load: impl Fn(Client) -> Fut + 'static,
) -> LocalResource<Result<T, ApiError>>
where
    T: 'static,
    Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
{
    let client = use_client();
    let store = use_context::<Store>();
    LocalResource::new(move || {
        if let Some(store) = store {
            store.track();
        }
        let client = client.clone();
        let future = client.clone().map(&load);
        async move {
            match future {
                Some(future) => future.await,
                None => Err(ApiError::Unauthorized),
            }
        }
    })
}
