//! The authorized client: sends API requests with this tab's token, reuses fresh answers,
//! loads every page of a list in parallel, and waits out what can be waited out.
//!
//! A request goes through three layers, each with one job and each readable on its own (as a
//! `tower` stack is): [`Client::authorized`] (the token: renewed ahead of expiry, refreshed once
//! on 401) → [`Client::cached`] (the answer cache) → [`Client::retried`] (429, 5xx, a lost
//! answer or a lost connection, waited out). Each layer's rules are pure and tested on the host:
//! `Session::needs_refresh`, `oncall_core::cache`, `oncall_core::retry::decide`. The layers
//! raise what they see (an answer's age to the [`clock::Clock`], a wait to the
//! [`notice::Notices`]); the words people read are written there.

pub mod account;
mod cache;
pub mod clock;
pub mod loads;
pub mod me;
pub mod notice;

pub use cache::ApiCache;

use crate::auth::{AuthContext, Refreshed};
use crate::browser::{self, fetch, now_ms};
use clock::Clock;
use futures::StreamExt;
use leptos::prelude::*;
use notice::{Notices, Ticket, Waiting};
use oncall_core::api::endpoints::{self, Get, List};
use oncall_core::api::{self, Api, ApiError, Page, PageInfo};
use oncall_core::http::{HttpRequest, HttpResponse};
use oncall_core::retry;
use oncall_core::session::Session;
use serde::de::DeserializeOwned;

/// Pages of one list in flight at once: every page after the first, since PagerDuty's offset
/// ceiling (offset + limit <= 10,000) makes a list at most 100 pages. Over HTTP/2, as
/// PagerDuty's API is served, they share one connection: the first page and then all the
/// rest, each behind its CORS preflight, is four round trips for any list. PagerDuty allows
/// 960 requests a minute per user and app, so a whole 100-page list is a tenth of it (the
/// preflights, which carry no token, are not counted); a burst past the limit is answered
/// 429 and waited out (`retry`). Over HTTP/1.1 the browser queues them six at a time.
pub const CONCURRENCY: usize = 100;

/// How long a change may take before the page stops waiting for its answer (and reads
/// PagerDuty to learn whether it happened).
pub const CHANGE_TIMEOUT_MS: u64 = 30_000;

/// Everything loaded from a list endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// PagerDuty has more than its offset ceiling lets us read: say so, never hide it.
    pub truncated: bool,
}

impl<T> Listing<T> {
    /// The same list with each item turned into something else.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listing<U> {
        Listing {
            items: self.items.into_iter().map(f).collect(),
            truncated: self.truncated,
        }
    }
}

/// Loaded and total items of a list that is still loading.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub loaded: usize,
    pub total: usize,
}

#[derive(Clone)]
pub struct Client {
    auth: AuthContext,
    cache: ApiCache,
    clock: Clock,
    notices: Notices,
    /// Aborts this client's requests when the view that made it is left.
    signal: Option<web_sys::AbortSignal>,
    /// Counts the requests this client sends, when a load reports what it cost.
    sent: Option<std::rc::Rc<std::cell::Cell<u32>>>,
}

impl Client {
    fn cancelled(&self) -> bool {
        self.signal.as_ref().is_some_and(|s| s.aborted())
    }

    /// This client, counting every request it sends from now on (each try of one, too).
    pub fn counting(&self) -> (Client, std::rc::Rc<std::cell::Cell<u32>>) {
        let sent = std::rc::Rc::new(std::cell::Cell::new(0));
        let client = Client {
            sent: Some(sent.clone()),
            ..self.clone()
        };
        (client, sent)
    }

    /// Sends a GET for `path` and `query` through the three layers (see the module).
    pub async fn send(&self, path: &str, query: &[(&str, &str)]) -> Result<HttpResponse, ApiError> {
        self.authorized(path, query).await
    }

    /// The session to send with, or why there is none.
    fn session(&self) -> Result<Session, ApiError> {
        if self.cancelled() || self.auth.is_signing_out() {
            return Err(ApiError::Cancelled);
        }
        self.auth.session().ok_or(ApiError::Unauthorized)
    }

    /// Layer 1, the token. The request carries the token current at sending time, renewed
    /// first when it is about to expire. On 401 the token is refreshed once and the request
    /// sent again; a second 401 ends the session ("sign in again"), and a refresh that cannot
    /// reach PagerDuty is a network error for this request alone.
    async fn authorized(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<HttpResponse, ApiError> {
        self.with_token(&|api: &Api| api.get(path, query), false)
            .await
    }

    /// [`Client::authorized`] for any request `make` builds with the current token: a read
    /// goes on to the cache; a change (`once`) is sent once, as it is (see [`Client::change`]).
    async fn with_token(
        &self,
        make: &dyn Fn(&Api) -> HttpRequest,
        once: bool,
    ) -> Result<HttpResponse, ApiError> {
        let mut refreshed = false;
        loop {
            let session = self.session()?;
            if !refreshed && session.needs_refresh(now_ms()) {
                refreshed = true;
                if self.auth.refresh(&session.access_token).await == Refreshed::Ended {
                    return Err(ApiError::Unauthorized);
                }
                continue;
            }
            let request = make(&Api::new(
                session.api_base_url.clone(),
                session.access_token.clone(),
            ));
            let response = match once {
                true => self.once(&request).await?,
                false => self.cached(&request).await?,
            };
            if api::status_error(&response) != Some(ApiError::Unauthorized) {
                return Ok(response);
            }
            if refreshed {
                self.auth.session_ended();
                return Err(ApiError::Unauthorized);
            }
            refreshed = true;
            match self.auth.refresh(&session.access_token).await {
                Refreshed::Yes => continue,
                Refreshed::Ended => return Err(ApiError::Unauthorized),
                Refreshed::Unreachable => return Err(ApiError::Network),
            }
        }
    }

    /// Layer 2, the cache. An answer still fresh is given again; a successful new one is kept
    /// (keyed by its URL, which never holds the token). Every answer handed out tells the clock
    /// how old it is, for "as of".
    async fn cached(&self, request: &HttpRequest) -> Result<HttpResponse, ApiError> {
        let now = now_ms();
        if let Some((fetched, hit)) = self.cache.fresh(&request.url, now) {
            self.clock.answered(fetched);
            return Ok(hit);
        }
        let response = self.retried(request).await?;
        if api::status_error(&response).is_none() {
            self.cache.keep(request.url.clone(), now, response.clone());
            self.clock.answered(now);
        }
        Ok(response)
    }

    /// A change (a POST or a DELETE that `make` builds), sent **once**: never from the cache,
    /// never tried again by itself, whatever comes back. A 401 is the one exception, sent again
    /// after the token is refreshed, since PagerDuty did nothing with it. Without an answer
    /// ([`ApiError::Network`]: the connection was lost, or nothing came within
    /// [`CHANGE_TIMEOUT_MS`]) the change may or may not have happened: the caller reads
    /// PagerDuty again before it offers to try again, so that one click never makes two.
    ///
    /// Leaving the view does not abort it: a change under way is PagerDuty's business then.
    pub async fn change(
        &self,
        make: impl Fn(&Api) -> HttpRequest,
    ) -> Result<HttpResponse, ApiError> {
        let client = Client {
            signal: None,
            ..self.clone()
        };
        client.with_token(&make, true).await
    }

    /// Forgets every kept answer a change to `schedule_id` made wrong, and renews the page, so
    /// that every view showing that schedule's time (the timeline, My on-call, the levels and
    /// lists) shows the change without a reload.
    pub fn changed(&self, schedule_id: &str) {
        self.cache
            .forget(|url| oncall_core::overrides::made_stale(url, schedule_id));
        self.clock.renew();
    }

    /// One try of a change, given up after [`CHANGE_TIMEOUT_MS`].
    async fn once(&self, request: &HttpRequest) -> Result<HttpResponse, ApiError> {
        if let Some(sent) = &self.sent {
            sent.set(sent.get() + 1);
        }
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        let timer = controller.map(|c| {
            set_timeout_with_handle(
                move || c.abort(),
                std::time::Duration::from_millis(CHANGE_TIMEOUT_MS),
            )
        });
        let answer = fetch::send_with(request, signal.as_ref()).await;
        if let Some(Ok(timer)) = timer {
            timer.clear();
        }
        answer.map_err(|_| ApiError::Network)
    }

    /// Layer 3, waiting. 429, 5xx and lost answers are tried again as `retry::decide` says;
    /// offline, the request waits for the connection to come back. Meanwhile the page says why
    /// it waits; the notice goes when this request is done, however it ends.
    async fn retried(&self, request: &HttpRequest) -> Result<HttpResponse, ApiError> {
        let mut ticket = Ticket::default();
        let outcome = self.send_until_answered(request, &mut ticket).await;
        self.notices.clear(&ticket);
        outcome
    }

    async fn send_until_answered(
        &self,
        request: &HttpRequest,
        ticket: &mut Ticket,
    ) -> Result<HttpResponse, ApiError> {
        let mut attempt = 0;
        loop {
            if self.cancelled() {
                return Err(ApiError::Cancelled);
            }
            if let Some(sent) = &self.sent {
                sent.set(sent.get() + 1);
            }
            let error = match fetch::send_with(request, self.signal.as_ref()).await {
                Ok(response) => match api::status_error(&response) {
                    Some(error @ (ApiError::RateLimited { .. } | ApiError::Server(_))) => error,
                    // Everything else is for the layers above, or whoever decodes the answer.
                    _ => return Ok(response),
                },
                Err(_) if self.cancelled() => return Err(ApiError::Cancelled),
                Err(_) if !browser::is_online() => {
                    self.notices.raise(ticket, Waiting::Offline);
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
                        Waiting::RateLimited { seconds }
                    } else {
                        Waiting::NoAnswer { seconds }
                    };
                    self.notices.raise(ticket, why);
                    browser::sleep(after_ms).await;
                }
                retry::Decision::GiveUp => return Err(error),
            }
        }
    }

    /// [`Client::get`], asked of PagerDuty now whatever the cache holds: what a change is
    /// checked against (and what a lost answer is learned from).
    pub async fn get_now<T: DeserializeOwned>(&self, endpoint: &Get<T>) -> Result<T, ApiError> {
        let path = endpoint.path.clone();
        self.cache.forget(|url| {
            url.split('?')
                .next()
                .is_some_and(|at| at.ends_with(path.as_str()))
        });
        self.get(endpoint).await
    }

    /// One resource, decoded as the endpoint says.
    pub async fn get<T: DeserializeOwned>(&self, endpoint: &Get<T>) -> Result<T, ApiError> {
        let query = endpoints::pairs(&endpoint.query);
        api::decode(&self.send(&endpoint.path, &query).await?)
    }

    /// The answer for one page of a list: the same code for every kind of item (only decoding
    /// depends on the type, which keeps the download small).
    async fn page_response(
        &self,
        path: &str,
        query: &endpoints::Query,
    ) -> Result<HttpResponse, ApiError> {
        self.send(path, &endpoints::pairs(query)).await
    }

    /// Every page of a list. The first page says how many there are; the rest are requested
    /// together, at most [`CONCURRENCY`] at a time, and `progress` follows along. Only
    /// decoding depends on the item type; the paging is [`Client::every_page`], shared.
    pub async fn all<T: DeserializeOwned>(
        &self,
        list: &List<T>,
        progress: Option<RwSignal<Progress>>,
    ) -> Result<Listing<T>, ApiError> {
        let mut items: Vec<T> = Vec::new();
        let key = list.key;
        let mut take = |response: &HttpResponse| -> Result<PageInfo, ApiError> {
            let page: Page<T> = api::decode_page(response, key)?;
            let info = page.info();
            items.extend(page.items);
            Ok(info)
        };
        let truncated = self
            .every_page(&list.path, &list.query, &mut take, progress)
            .await?;
        Ok(Listing { items, truncated })
    }

    /// Loads every page of the list at `path`, handing each answer to `take` in order (it
    /// decodes and keeps the items), and says whether PagerDuty's offset ceiling cut it short.
    async fn every_page(
        &self,
        path: &str,
        query: &endpoints::Query,
        take: &mut dyn FnMut(&HttpResponse) -> Result<PageInfo, ApiError>,
        progress: Option<RwSignal<Progress>>,
    ) -> Result<bool, ApiError> {
        let report = |loaded: u32, total: u32| {
            if let Some(p) = progress {
                p.set(Progress {
                    loaded: loaded as usize,
                    total: total as usize,
                });
            }
        };
        let first = take(
            &self
                .page_response(path, &endpoints::page_query(query, 0))
                .await?,
        )?;
        let Some(total) = first.total.filter(|_| first.more) else {
            // Without a total (or with one page), follow `more` page by page.
            let mut page = first;
            while let Some(offset) = page.next_offset() {
                let response = self
                    .page_response(path, &endpoints::page_query(query, offset))
                    .await?;
                page = take(&response)?;
            }
            return Ok(page.more);
        };
        let (offsets, truncated) = api::remaining_offsets(total, first.count);
        let mut loaded = first.count;
        report(loaded, total);
        let queries: Vec<endpoints::Query> = offsets
            .into_iter()
            .map(|o| endpoints::page_query(query, o))
            .collect();
        let mut pages = futures::stream::iter(queries.iter())
            .map(|query| self.page_response(path, query))
            .buffered(CONCURRENCY);
        while let Some(response) = pages.next().await {
            loaded += take(&response?)?.count;
            report(loaded, total);
        }
        Ok(truncated)
    }
}

/// Awaits `resource` (read by another load, or by a view), or gives up with
/// [`ApiError::Cancelled`] when the view that owned it is already gone. Awaiting a disposed
/// resource panics inside Leptos ("Tried to access a reactive value that has already been
/// disposed"), and a load's future is first polled on a later task than the one that made it:
/// if the view is replaced in between (signing in, signing out, moving on), that poll comes
/// after. The check and the await happen in the same poll, so nothing can dispose it between.
pub async fn settled<T: Clone + Send + Sync + 'static>(
    resource: ApiResource<T>,
) -> Result<T, ApiError> {
    settled_erased(resource.inner).await.and_then(typed)
}

async fn settled_erased(resource: ErasedResource) -> Result<Erased, ApiError> {
    if resource.is_disposed() {
        return Err(ApiError::Cancelled);
    }
    resource.await
}

/// Loaded data of any type, as the one kind of resource holds it.
type Erased = std::sync::Arc<dyn std::any::Any + Send + Sync>;
type ErasedResource = LocalResource<Result<Erased, ApiError>>;
type ErasedLoading = Loading<Erased>;

/// `erased` as the type it was made from. It always is, since only [`ApiResource`] makes
/// one; were it not, that is a mistake in this page's code, said as one (never as something
/// PagerDuty sent).
fn typed<T: Clone + Send + Sync + 'static>(erased: Erased) -> Result<T, ApiError> {
    match erased.downcast_ref::<T>() {
        Some(data) => Ok(data.clone()),
        None => {
            debug_assert!(false, "a resource held another type than its own");
            Err(ApiError::Bug(
                "a panel's data was not of the type it expected",
            ))
        }
    }
}

/// A resource of PagerDuty data of type `T`. Underneath, every one is the same kind of Leptos
/// resource, holding its data with the type erased: Leptos's machinery for a resource (some
/// kilobytes of download) is then compiled once for the app instead of once per type.
pub struct ApiResource<T> {
    inner: ErasedResource,
    data: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for ApiResource<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ApiResource<T> {}

impl<T: Clone + Send + Sync + 'static> ApiResource<T> {
    /// A resource that runs `fetch` now and whenever what it reads changes.
    pub fn new(fetch: std::rc::Rc<dyn Fn() -> Loading<T>>) -> Self {
        let erased = move || -> ErasedLoading {
            let loading = fetch();
            Box::pin(async move {
                loading
                    .await
                    .map(|data| std::sync::Arc::new(data) as Erased)
            })
        };
        Self {
            inner: erased_resource(std::rc::Rc::new(erased)),
            data: std::marker::PhantomData,
        }
    }

    /// The data once loaded (read reactively).
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        leptos::prelude::Get::get(&self.inner).map(|loaded| loaded.and_then(typed))
    }

    /// Loads again.
    pub fn refetch(&self) {
        self.inner.refetch();
    }

    /// Whether the view that owned it is gone.
    pub fn is_disposed(&self) -> bool {
        self.inner.is_disposed()
    }
}

fn erased_resource(fetch: std::rc::Rc<dyn Fn() -> ErasedLoading>) -> ErasedResource {
    LocalResource::new(move || fetch())
}

/// The current client, for views under the signed-in shell.
pub fn use_client() -> Option<Client> {
    let auth = use_context::<AuthContext>()?;
    auth.session()?;
    Some(Client {
        auth,
        cache: use_context()?,
        clock: use_context()?,
        notices: use_context()?,
        signal: None,
        sent: None,
    })
}

/// A resource loaded with the signed-in client, loaded again whenever a signal it reads
/// changes (the clock's [`Clock::epoch`], for a load that renews with the page). Leaving the view, or a newer load, aborts what is still in flight,
/// so a late answer can never land on a view that moved on.
pub fn resource<T, Fut>(load: impl Fn(Client) -> Fut + 'static) -> ApiResource<T>
where
    T: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
{
    let client = use_client();
    let in_flight: StoredValue<Option<web_sys::AbortController>, LocalStorage> =
        StoredValue::new_local(None);
    on_cleanup(move || {
        if let Some(controller) = in_flight.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    });
    let fetch = move || -> Loading<T> {
        match next_load(&client, in_flight) {
            Some(client) => Box::pin(load(client)),
            None => Box::pin(std::future::ready(Err(ApiError::Unauthorized))),
        }
    };
    ApiResource::new(std::rc::Rc::new(fetch))
}

/// Aborts the load of a resource still in flight, and gives the client for its next one, with
/// an abort signal of its own. Apart from [`resource`], which is compiled once per load, so
/// that this is compiled once.
fn next_load(
    client: &Option<Client>,
    in_flight: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
) -> Option<Client> {
    if let Some(previous) = in_flight.try_update_value(Option::take).flatten() {
        previous.abort();
    }
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    in_flight.try_set_value(controller);
    client.clone().map(|c| Client { signal, ..c })
}

/// A load under way.
pub type Loading<T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, ApiError>>>>;
