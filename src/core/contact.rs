//! A person's contact methods as people use them: what each is, what to show, and the link
//! that calls, texts or mails it. Only what PagerDuty returned for the signed-in user's
//! permissions is ever shown.

use crate::api::types::ContactMethod;
use crate::text::mailto;

/// One way to reach a person, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reach {
    /// What it is: "Phone", "SMS", "Email", "Push", "WhatsApp", or PagerDuty's own type name.
    pub kind: String,
    /// The person's label for it ("Mobile", "Work").
    pub label: String,
    /// The number, address or device, as shown.
    pub shown: String,
    /// `tel:`, `sms:` or `mailto:`, where one can be made; push devices have none.
    pub href: Option<String>,
    /// PagerDuty no longer sends to it (it may still work for a person dialling).
    pub blocked: bool,
}

impl Reach {
    pub fn from(method: &ContactMethod) -> Self {
        let phone = || international(method.country_code, &method.address);
        let (kind, shown, href) = match method.kind.as_str() {
            "phone_contact_method" => phone_reach("Phone", "tel", phone()),
            "sms_contact_method" => phone_reach("SMS", "sms", phone()),
            "whatsapp_contact_method" => phone_reach("WhatsApp", "tel", phone()),
            "email_contact_method" => (
                "Email".to_string(),
                method.address.clone(),
                mailto(&method.address),
            ),
            "push_notification_contact_method" => {
                let device = match method.device_type.as_deref() {
                    Some("ios") => "iOS device",
                    Some("android") => "Android device",
                    _ => "mobile device",
                };
                let shown = if method.address.is_empty() {
                    device.to_string()
                } else {
                    format!("{} ({device})", method.address)
                };
                ("Push".to_string(), shown, None)
            }
            other => (
                other.trim_end_matches("_contact_method").replace('_', " "),
                method.address.clone(),
                None,
            ),
        };
        Self {
            kind,
            label: method.label.clone(),
            shown,
            href,
            blocked: method.blacklisted,
        }
    }
}

fn phone_reach(
    kind: &str,
    scheme: &str,
    number: Option<String>,
) -> (String, String, Option<String>) {
    match number {
        Some(number) => (
            kind.to_string(),
            number.clone(),
            Some(format!("{scheme}:{number}")),
        ),
        None => (kind.to_string(), String::new(), None),
    }
}

/// `+<country code><digits>` (E.164 as `tel:` wants it), from PagerDuty's national number and
/// country code. Anything but digits in the number is dropped, so an address can never add
/// a parameter to the link; no digits, no number.
fn international(country_code: Option<u16>, address: &str) -> Option<String> {
    let digits: String = address.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    Some(match country_code {
        Some(code) => format!("+{code}{digits}"),
        None if address.trim_start().starts_with('+') => format!("+{digits}"),
        None => digits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(kind: &str, address: &str, country_code: Option<u16>) -> ContactMethod {
        ContactMethod {
            id: "PC1".into(),
            kind: kind.into(),
            label: "Mobile".into(),
            address: address.into(),
            country_code,
            device_type: None,
            blacklisted: false,
        }
    }

    #[test]
    fn phones_and_texts_become_international_tel_and_sms_links() {
        let phone = Reach::from(&method("phone_contact_method", "555 010-0042", Some(1)));
        assert_eq!(
            (
                phone.kind.as_str(),
                phone.shown.as_str(),
                phone.href.as_deref()
            ),
            ("Phone", "+15550100042", Some("tel:+15550100042"))
        );
        let sms = Reach::from(&method("sms_contact_method", "91234567", Some(47)));
        assert_eq!(sms.href.as_deref(), Some("sms:+4791234567"));
        let whatsapp = Reach::from(&method("whatsapp_contact_method", "91234567", Some(47)));
        assert_eq!(whatsapp.kind, "WhatsApp");
        assert_eq!(whatsapp.href.as_deref(), Some("tel:+4791234567"));
    }

    #[test]
    fn a_number_can_carry_nothing_but_digits_into_its_link() {
        let hostile = Reach::from(&method("sms_contact_method", "555?body=pay%20now", Some(1)));
        assert_eq!(hostile.href.as_deref(), Some("sms:+155520"), "digits only");
        let empty = Reach::from(&method("phone_contact_method", "n/a", Some(1)));
        assert_eq!((empty.shown.as_str(), empty.href), ("", None));
    }

    #[test]
    fn emails_are_encoded_mailto_links() {
        let email = Reach::from(&method(
            "email_contact_method",
            "zoe@example.com?cc=boss@example.com",
            None,
        ));
        assert_eq!(email.kind, "Email");
        assert_eq!(
            email.href.as_deref(),
            Some("mailto:zoe@example.com%3Fcc%3Dboss@example.com")
        );
    }

    #[test]
    fn push_devices_are_named_but_not_linked() {
        let mut push = method("push_notification_contact_method", "Zoë's iPhone", None);
        push.device_type = Some("ios".into());
        let reach = Reach::from(&push);
        assert_eq!(
            (reach.kind.as_str(), reach.shown.as_str(), reach.href),
            ("Push", "Zoë's iPhone (iOS device)", None)
        );
    }

    #[test]
    fn a_kind_this_app_does_not_know_is_shown_as_text() {
        let reach = Reach::from(&method("pigeon_contact_method", "loft 3", None));
        assert_eq!(
            (reach.kind.as_str(), reach.shown.as_str(), reach.href),
            ("pigeon", "loft 3", None)
        );
    }

    #[test]
    fn the_spec_example_decodes() {
        let body = r#"{"contact_methods":[{"id":"PXPGF42","type":"email_contact_method","summary":"Work","self":"https://api.pagerduty.com/users/PXPGF42/contact_method/PXPGF42","label":"Work","address":"grady.haylie.126@hickle.net","send_short_email":false}]}"#;
        let methods: crate::api::types::ContactMethodsEnvelope =
            serde_json::from_str(body).expect("decodes");
        let reach = Reach::from(&methods.contact_methods[0]);
        assert_eq!(reach.label, "Work");
        assert_eq!(
            reach.href.as_deref(),
            Some("mailto:grady.haylie.126@hickle.net")
        );
    }
}
