//! Proof Key for Code Exchange (RFC 7636) with the S256 method.

use crate::secret::Secret;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bytes of entropy in a verifier: 32 bytes give the 43-character minimum of RFC 7636 §4.1
/// and the 256 bits it recommends.
const VERIFIER_BYTES: usize = 32;
/// Bytes of entropy in `state`.
const STATE_BYTES: usize = 16;

/// The browser could not give us random numbers; nothing safe can be done without them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "This browser could not generate the random numbers a safe sign-in needs. Try another browser."
)]
pub struct NoRandomness;

/// A PKCE code verifier.
///
/// Not `Clone`: each verifier belongs to exactly one authorization request and is consumed by
/// exactly one token exchange, and the type system should make a second use awkward.
#[derive(Serialize, Deserialize, PartialEq, Eq)]
pub struct Verifier(Secret);

impl Verifier {
    /// A fresh verifier from the platform's cryptographic random source (RFC 7636 §4.1).
    pub fn generate() -> Result<Self, NoRandomness> {
        Ok(Self(Secret::new(random_url_safe(VERIFIER_BYTES)?)))
    }

    /// A verifier given as text (tests, RFC vectors).
    pub fn from_text(text: &str) -> Self {
        Self(Secret::new(text))
    }

    /// `BASE64URL(SHA256(ASCII(code_verifier)))`, RFC 7636 §4.2.
    pub fn s256_challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.expose().as_bytes()))
    }

    pub fn secret(&self) -> &Secret {
        &self.0
    }
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier([redacted])")
    }
}

/// A fresh, unguessable `state` value for one authorization request.
pub fn random_state() -> Result<String, NoRandomness> {
    random_url_safe(STATE_BYTES)
}

fn random_url_safe(len: usize) -> Result<String, NoRandomness> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).map_err(|_| NoRandomness)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7636_appendix_b_vector() {
        let verifier = Verifier::from_text("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            verifier.s256_challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_verifiers_are_43_unreserved_characters_and_differ() {
        let a = Verifier::generate().expect("randomness");
        let b = Verifier::generate().expect("randomness");
        let text = a.secret().expose();
        assert_eq!(text.len(), 43);
        assert!(text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
    }

    #[test]
    fn states_are_random_and_url_safe() {
        let a = random_state().expect("randomness");
        assert_eq!(a.len(), 22);
        assert_ne!(a, random_state().expect("randomness"));
        assert!(!a.contains(['+', '/', '=']));
    }

    #[test]
    fn a_verifier_is_redacted_in_debug_output() {
        let verifier = Verifier::from_text("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(format!("{verifier:?}"), "Verifier([redacted])");
    }
}
