//! The authorized client: sends API requests with this tab's token, caches answers for the
//! session, loads every page of a list in parallel, and reacts to a revoked token.

use crate::api::{self, Api, ApiError, Page};
use crate::app::{AuthContext, Refreshed};
use crate::browser::{self, fetch, now_ms};
use crate::http::HttpResponse;
use crate::retry;
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

/// Answers cached for this tab's session, the refresh generation views track, and the notice
/// shown while requests wait (rate limits, offline).
#[derive(Clone, Copy)]
pub struct Store {
    cache: StoredValue<HashMap<String, (f64, HttpResponse)>, LocalStorage>,
    generation: RwSignal<u64>,
    /// The notice and the request that showed it: only that request may clear it.
    notice: RwSignal<Option<(u64, String)>>,
    next_notice: StoredValue<u64>,
}

impl Store {
    pub fn new() -> Self {
        Self {
            cache: StoredValue::new_local(HashMap::new()),
            generation: RwSignal::new(0),
            notice: RwSignal::new(None),
            next_notice: StoredValue::new(0),
        }
    }

    /// Forgets every cached answer and makes every view that tracks it load again.
    pub fn refresh(&self) {
        self.cache.update_value(HashMap::clear);
        self.generation.update(|g| *g += 1);
    }

    /// The notice to show, if any.
    pub fn notice(&self) -> Option<String> {
        self.notice
            .with(|n| n.as_ref().map(|(_, text)| text.clone()))
    }

    /// Shows `text` for the request `owner` (0 = not yet known: one is assigned).
    fn show_notice(&self, owner: &mut u64, text: String) {
        if *owner == 0 {
            self.next_notice.update_value(|n| *n += 1);
            *owner = self.next_notice.get_value();
        }
        self.notice.set(Some((*owner, text)));
    }

    /// Clears the notice if `owner` showed it; another request's notice stays.
    fn clear_notice(&self, owner: u64) {
        let mine = self
            .notice
            .with_untracked(|n| n.as_ref().is_some_and(|(id, _)| *id == owner));
        if owner != 0 && mine {
            self.notice.set(None);
        }
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
    auth: AuthContext,
    store: Store,
    /// Aborts this client's requests when the view that made it is left.
    signal: Option<web_sys::AbortSignal>,
}

impl Client {
    fn cancelled(&self) -> bool {
        self.signal.as_ref().is_some_and(|s| s.aborted())
    }

    /// Sends a GET, or answers it from the session cache. With the token current at sending
    /// time; renewed first when it is about to expire. On 401 the token is refreshed once and
    /// the request retried once; when that fails the person is asked to sign in again. 429,
    /// 5xx and network failures are retried as `retry::decide` says, with a notice while
    /// waiting; offline, it waits for the connection to come back.
    async fn get_response(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<HttpResponse, ApiError> {
        let mut attempt = 0;
        let mut refreshed = false;
        let mut notice = 0;
        loop {
            if self.cancelled() {
                return Err(ApiError::Cancelled);
            }
            let session = self.auth.session().ok_or(ApiError::Unauthorized)?;
            if !refreshed && retry::needs_refresh(&session, now_ms()) {
                refreshed = true;
                if self.auth.refresh(&session.access_token).await == Refreshed::Ended {
                    return Err(ApiError::Unauthorized);
                }
                continue;
            }
            let request = Api::new(session.api_base_url.clone(), session.access_token.clone())
                .get(path, query);
            // The cache key is the URL: it never contains the token.
            let key = request.url.clone();
            let now = now_ms();
            let cached = self.store.cache.with_value(|c| {
                c.get(&key)
                    .filter(|(at, _)| now - at < FRESH_MS)
                    .map(|(_, r)| r.clone())
            });
            if let Some(hit) = cached {
                return Ok(hit);
            }
            let error = match fetch::send_with(&request, self.signal.as_ref()).await {
                Ok(response) => match api::status_error(&response) {
                    None => {
                        self.store.cache.update_value(|c| {
                            c.insert(key, (now, response.clone()));
                        });
                        self.store.clear_notice(notice);
                        return Ok(response);
                    }
                    Some(ApiError::Unauthorized) => {
                        if !refreshed {
                            refreshed = true;
                            match self.auth.refresh(&session.access_token).await {
                                Refreshed::Yes => continue,
                                Refreshed::Ended => return Err(ApiError::Unauthorized),
                                Refreshed::Unreachable => ApiError::Network,
                            }
                        } else {
                            self.auth.session_ended(ApiError::Unauthorized.to_string());
                            return Err(ApiError::Unauthorized);
                        }
                    }
                    Some(error @ (ApiError::RateLimited { .. } | ApiError::Server(_))) => error,
                    // Everything else is decided by whoever decodes the answer.
                    Some(_) => return Ok(response),
                },
                Err(_) if self.cancelled() => return Err(ApiError::Cancelled),
                Err(_) if !browser::is_online() => {
                    let text = "You are offline. Waiting for the connection to come back…";
                    self.store.show_notice(&mut notice, text.into());
                    browser::until_online().await;
                    continue;
                }
                Err(_) => ApiError::Network,
            };
            attempt += 1;
            match retry::decide(&error, attempt, browser::jitter()) {
                retry::Decision::Retry {
                    after_ms,
                    rate_limited,
                } => {
                    let seconds = after_ms.div_ceil(1000);
                    let why = if rate_limited {
                        "PagerDuty asked us to slow down"
                    } else {
                        "PagerDuty did not answer"
                    };
                    self.store
                        .show_notice(&mut notice, format!("{why}; retrying in {seconds} s…"));
                    browser::sleep(after_ms).await;
                }
                retry::Decision::GiveUp => {
                    self.store.clear_notice(notice);
                    return Err(error);
                }
            }
        }
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
    auth.session()?;
    Some(Client {
        auth,
        store,
        signal: None,
    })
}

/// A resource loaded with the signed-in client, reloaded by the refresh button and whenever a
/// signal it reads changes. Leaving the view, or a newer load, aborts what is still in flight,
/// so a late answer can never land on a view that moved on.
pub fn resource<T, Fut>(
    load: impl Fn(Client) -> Fut + 'static,
) -> LocalResource<Result<T, ApiError>>
where
    T: 'static,
    Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
{
    let client = use_client();
    let store = use_context::<Store>();
    let in_flight: StoredValue<Option<web_sys::AbortController>, LocalStorage> =
        StoredValue::new_local(None);
    on_cleanup(move || {
        if let Some(controller) = in_flight.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    });
    LocalResource::new(move || {
        if let Some(store) = store {
            store.track();
        }
        if let Some(previous) = in_flight.try_update_value(Option::take).flatten() {
            previous.abort();
        }
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        in_flight.try_set_value(controller);
        let future = client.clone().map(|c| load(Client { signal, ..c }));
        async move {
            match future {
                Some(future) => future.await,
                None => Err(ApiError::Unauthorized),
            }
        }
    })
}
