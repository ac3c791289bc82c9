//! Time zones and date formatting from the browser's `Intl`, with no bundled tz database.

use oncall_core::time::{Civil, Millis, Zone, MINUTE};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    type Formatter;

    /// `catch`: an unknown zone name throws a RangeError, which must become an `Err` here and
    /// never an exception unwinding through the wasm module.
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "DateTimeFormat", catch)]
    fn new(locales: &JsValue, options: &js_sys::Object) -> Result<Formatter, JsValue>;

    #[wasm_bindgen(method, js_name = formatToParts)]
    fn format_to_parts(this: &Formatter, date: &js_sys::Date) -> js_sys::Array;

    #[wasm_bindgen(method, js_name = format)]
    fn format(this: &Formatter, date: &js_sys::Date) -> String;
}

/// How an instant is written for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `09:00`
    Time,
    /// `Mon 30 Nov`
    Day,
    /// `Mon 30 Nov, 09:00`
    DayTime,
    /// `Monday, 30 November 2026`
    LongDay,
}

impl Style {
    fn options(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Style::Time => &[
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("hourCycle", "h23"),
            ],
            Style::Day => &[("weekday", "short"), ("day", "numeric"), ("month", "short")],
            Style::DayTime => &[
                ("weekday", "short"),
                ("day", "numeric"),
                ("month", "short"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("hourCycle", "h23"),
            ],
            Style::LongDay => &[
                ("weekday", "long"),
                ("day", "numeric"),
                ("month", "long"),
                ("year", "numeric"),
            ],
        }
    }
}

/// The formatter used to read offsets: numeric, 24-hour, in the `en-US` form we parse.
const PARTS: &[(&str, &str)] = &[
    ("year", "numeric"),
    ("month", "numeric"),
    ("day", "numeric"),
    ("hour", "numeric"),
    ("minute", "numeric"),
    ("second", "numeric"),
    ("hourCycle", "h23"),
];

#[derive(PartialEq, Eq, Hash)]
enum Kind {
    Parts,
    Display(Style),
}

thread_local! {
    static FORMATTERS: RefCell<HashMap<(String, Kind), Option<Formatter>>> = RefCell::new(HashMap::new());
}

fn with_formatter<R>(zone: &str, kind: Kind, f: impl FnOnce(&Formatter) -> R) -> Option<R> {
    FORMATTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let key = (zone.to_string(), kind);
        let formatter = cache.entry(key).or_insert_with_key(|(zone, kind)| {
            let options = js_sys::Object::new();
            let set =
                |k: &str, v: &str| js_sys::Reflect::set(&options, &k.into(), &v.into()).is_ok();
            let ok = set("timeZone", zone)
                && match kind {
                    Kind::Parts => PARTS.iter().all(|(k, v)| set(k, v)),
                    Kind::Display(style) => style.options().iter().all(|(k, v)| set(k, v)),
                };
            let locale = match kind {
                Kind::Parts => JsValue::from_str("en-US"),
                Kind::Display(_) => JsValue::UNDEFINED,
            };
            ok.then(|| Formatter::new(&locale, &options).ok()).flatten()
        });
        formatter.as_ref().map(f)
    })
}

/// An IANA time zone as the browser knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserZone(pub String);

impl BrowserZone {
    /// `Some` only for a zone name this browser accepts.
    pub fn new(name: &str) -> Option<Self> {
        let name = name.trim();
        (!name.is_empty() && name.len() < 64 && with_formatter(name, Kind::Parts, |_| ()).is_some())
            .then(|| Self(name.to_string()))
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    /// Writes `at` in this zone, in the browser's locale.
    pub fn format(&self, at: Millis, style: Style) -> String {
        let date = js_sys::Date::new(&JsValue::from_f64(at as f64));
        with_formatter(&self.0, Kind::Display(style), |f| f.format(&date))
            .unwrap_or_else(|| oncall_core::time::format_iso_utc(at))
    }
}

impl Zone for BrowserZone {
    fn offset(&self, at: Millis) -> Millis {
        let date = js_sys::Date::new(&JsValue::from_f64(at as f64));
        let parts = with_formatter(&self.0, Kind::Parts, |f| f.format_to_parts(&date));
        let Some(parts) = parts else { return 0 };
        let mut civil = Civil {
            year: 1970,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
        };
        for part in parts.iter() {
            let get = |k: &str| {
                js_sys::Reflect::get(&part, &k.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            let (Some(kind), Some(value)) = (get("type"), get("value")) else {
                continue;
            };
            let number: i64 = value.parse().unwrap_or(0);
            match kind.as_str() {
                "year" => civil.year = number,
                "month" => civil.month = number as u32,
                "day" => civil.day = number as u32,
                "hour" => civil.hour = (number % 24) as u32,
                "minute" => civil.minute = number as u32,
                "second" => civil.second = number as u32,
                _ => {}
            }
        }
        // Whole minutes: Intl works in seconds, `at` may carry milliseconds.
        let offset = civil.to_millis() - (at - at.rem_euclid(1000));
        (offset as f64 / MINUTE as f64).round() as Millis * MINUTE
    }
}

/// The zone this browser is set to.
pub fn browser_zone() -> BrowserZone {
    let options = js_sys::Object::new();
    let name = Formatter::new(&JsValue::UNDEFINED, &options)
        .ok()
        .and_then(|f| {
            js_sys::Reflect::get(&f, &"resolvedOptions".into())
                .ok()
                .map(|m| (f, m))
        })
        .and_then(|(f, method)| method.dyn_into::<js_sys::Function>().ok()?.call0(&f).ok())
        .and_then(|resolved| js_sys::Reflect::get(&resolved, &"timeZone".into()).ok())
        .and_then(|zone| zone.as_string());
    name.and_then(|n| BrowserZone::new(&n))
        .unwrap_or_else(|| BrowserZone("UTC".into()))
}

/// Every zone name the browser knows, for the picker (empty where it cannot list them).
pub fn zone_names() -> Vec<String> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok();
    let list = intl
        .as_ref()
        .and_then(|intl| js_sys::Reflect::get(intl, &"supportedValuesOf".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(intl.as_ref()?, &"timeZone".into()).ok())
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok());
    list.map(|a| a.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default()
}
