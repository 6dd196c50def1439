//! Sealed restore handles: the daemon stores nothing.
//!
//! `Redact` returns the placeholder → original [`Mapping`] to the caller as
//! an opaque handle: the mapping and an expiry time, serialised and then
//! encrypted and authenticated with XChaCha20-Poly1305 (the 24-byte-nonce
//! variant of ChaCha20-Poly1305, so random nonces are safe under one key
//! shared by many replicas) under a 256-bit key that only the daemon holds.
//!
//! Handle format: `ampel1.` + base64url(nonce ‖ ciphertext ‖ tag), with the
//! associated data `ampel.v1 restore handle`. Opening checks the tag first,
//! then the expiry that sits inside the sealed payload, so neither the
//! mapping nor the expiry can be read or changed without the key.
//!
//! The key is random per process by default (handles die with the process)
//! or read from `--key-file`, which lets replicas behind a load balancer
//! open each other's handles. Nothing here logs a mapping or a key.

use std::fmt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use super::ServerError;
use crate::redact::Mapping;

const PREFIX: &str = "ampel1.";
const AAD: &[u8] = b"ampel.v1 restore handle";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// The 256-bit key that seals restore handles. Its `Debug` output hides it.
#[derive(Clone)]
pub struct SealKey(Key);

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealKey(<secret>)")
    }
}

impl SealKey {
    /// A fresh key from the operating system's random source.
    pub fn random() -> Self {
        SealKey(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    /// A key from 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        SealKey(Key::from(bytes))
    }

    /// Read a key file: exactly 32 raw bytes, or 32 bytes written as base64
    /// (standard or URL-safe) or as 64 hex digits, surrounding whitespace
    /// ignored. Warns when the file is readable by group or others.
    pub fn from_file(path: &Path) -> Result<Self, ServerError> {
        let raw = std::fs::read(path).map_err(|source| ServerError::Io {
            context: format!("cannot read key file {}", path.display()),
            source,
        })?;
        warn_if_shared(path);
        Self::parse(&raw).ok_or_else(|| {
            ServerError::Config(format!(
                "key file {} must hold 32 bytes: raw, base64 or hex \
                 (make one with `head -c 32 /dev/urandom | base64 > {}`)",
                path.display(),
                path.display()
            ))
        })
    }

    fn parse(raw: &[u8]) -> Option<Self> {
        // Base64 of 32 bytes is 44 characters and hex 64, so exactly 32
        // bytes can only be a raw key.
        if let Ok(bytes) = <[u8; 32]>::try_from(raw) {
            return Some(Self::from_bytes(bytes));
        }
        let text = std::str::from_utf8(raw).ok()?.trim();
        let decoded = STANDARD
            .decode(text)
            .ok()
            .or_else(|| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok())
            .filter(|b| b.len() == 32)
            .or_else(|| decode_hex(text))?;
        <[u8; 32]>::try_from(decoded.as_slice())
            .ok()
            .map(Self::from_bytes)
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

#[cfg(unix)]
fn warn_if_shared(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                "secret file is readable by group or others; chmod 600 it"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path) {}

/// Why a handle cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// Not a handle this daemon issued: malformed, tampered with, truncated,
    /// or sealed under another key.
    #[error(
        "invalid restore handle: it was not issued by this daemon (or its key file), \
         or it was truncated or altered"
    )]
    Invalid,
    /// The handle was valid but its lifetime is over.
    #[error("restore handle expired {ago_secs} s ago; redact the text again")]
    Expired {
        /// Seconds since expiry.
        ago_secs: u64,
    },
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    /// Payload format version.
    v: u32,
    /// Expiry, milliseconds since the Unix epoch.
    exp_ms: u64,
    /// The mapping.
    m: Mapping,
}

/// Seals and opens handles with one key and one lifetime.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    ttl: Duration,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer").field("ttl", &self.ttl).finish()
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Sealer {
    /// A sealer for `key` whose handles live `ttl`.
    pub fn new(key: &SealKey, ttl: Duration) -> Self {
        Sealer {
            cipher: XChaCha20Poly1305::new(&key.0),
            ttl,
        }
    }

    /// Seal `mapping`; returns the handle and its expiry in seconds since the
    /// Unix epoch.
    pub fn seal(&self, mapping: &Mapping) -> Result<(String, i64), ServerError> {
        let ttl_ms = u64::try_from(self.ttl.as_millis()).unwrap_or(u64::MAX);
        let exp_ms = now_ms().saturating_add(ttl_ms);
        let payload = serde_json::to_vec(&Sealed {
            v: 1,
            exp_ms,
            m: mapping.clone(),
        })
        .map_err(|e| ServerError::Internal(format!("cannot serialise mapping: {e}")))?;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ct = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: &payload,
                    aad: AAD,
                },
            )
            .map_err(|_| ServerError::Internal("sealing failed".into()))?;
        let mut blob = Vec::with_capacity(NONCE_LEN + ct.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&ct);
        let exp_secs = i64::try_from(exp_ms / 1000).unwrap_or(i64::MAX);
        Ok((
            format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(blob)),
            exp_secs,
        ))
    }

    /// Open a handle: authenticate, then check the expiry.
    pub fn open(&self, handle: &str) -> Result<Mapping, SealError> {
        let body = handle
            .trim()
            .strip_prefix(PREFIX)
            .ok_or(SealError::Invalid)?;
        let blob = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Invalid)?;
        if blob.len() < NONCE_LEN + TAG_LEN {
            return Err(SealError::Invalid);
        }
        let (nonce, ct) = blob.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: AAD })
            .map_err(|_| SealError::Invalid)?;
        let sealed: Sealed = serde_json::from_slice(&plain).map_err(|_| SealError::Invalid)?;
        if sealed.v != 1 {
            return Err(SealError::Invalid);
        }
        let now = now_ms();
        if now >= sealed.exp_ms {
            return Err(SealError::Expired {
                ago_secs: (now - sealed.exp_ms) / 1000,
            });
        }
        Ok(sealed.m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::MappingEntry;
    use crate::types::Label;

    fn mapping() -> Mapping {
        Mapping {
            version: 1,
            entries: vec![MappingEntry {
                placeholder: "[PERSON_1]".into(),
                label: Label::Person,
                original: "Weber".into(),
            }],
        }
    }

    #[test]
    fn round_trip_and_other_key_fails() {
        let key = SealKey::random();
        let s = Sealer::new(&key, Duration::from_secs(60));
        let (h, exp) = s.seal(&mapping()).unwrap();
        assert!(h.starts_with(PREFIX));
        assert!(!h.contains("Weber"));
        assert!(exp > 0);
        assert_eq!(s.open(&h).unwrap(), mapping());
        let other = Sealer::new(&SealKey::random(), Duration::from_secs(60));
        assert_eq!(other.open(&h), Err(SealError::Invalid));
        // Same key file on another replica opens it.
        let twin = Sealer::new(&key, Duration::from_secs(1));
        assert_eq!(twin.open(&h).unwrap(), mapping());
    }

    #[test]
    fn tampering_and_garbage_are_invalid() {
        let s = Sealer::new(&SealKey::random(), Duration::from_secs(60));
        let (h, _) = s.seal(&mapping()).unwrap();
        let mut bytes = h.clone().into_bytes();
        let i = bytes.len() - 5;
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert_eq!(s.open(&tampered), Err(SealError::Invalid));
        assert_eq!(s.open(&h[..h.len() - 3]), Err(SealError::Invalid));
        for junk in ["", "ampel1.", "ampel1.!!!", "hello", "ampel1.AAAA"] {
            assert_eq!(s.open(junk), Err(SealError::Invalid), "{junk:?}");
        }
    }

    #[test]
    fn expiry_is_enforced() {
        let s = Sealer::new(&SealKey::random(), Duration::ZERO);
        let (h, _) = s.seal(&mapping()).unwrap();
        assert!(matches!(s.open(&h), Err(SealError::Expired { .. })));
    }

    #[test]
    fn key_file_formats() {
        let bytes = [7u8; 32];
        assert!(SealKey::parse(&bytes).is_some());
        assert!(SealKey::parse(STANDARD.encode(bytes).as_bytes()).is_some());
        assert!(SealKey::parse(format!("{}\n", STANDARD.encode(bytes)).as_bytes()).is_some());
        assert!(SealKey::parse("07".repeat(32).as_bytes()).is_some());
        assert!(SealKey::parse(b"too short").is_none());
    }
}
