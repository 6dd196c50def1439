//! Optional bearer-token authentication for the `ampel.v1` service.
//!
//! The token is read once from `--token-file`; only its SHA-256 digest is
//! kept. Every call's `authorization: Bearer <token>` metadata is hashed and
//! compared with the stored digest in constant time (`subtle`), so neither
//! the content nor the length of the token leaks through timing. Health and
//! reflection are not wrapped and stay open.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tonic::service::Interceptor;
use tonic::{Request, Status};

use super::ServerError;

/// A bearer token, kept as a digest. `Debug` never shows it.
#[derive(Clone)]
pub struct Token {
    digest: [u8; 32],
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<secret>)")
    }
}

impl Token {
    /// A token from its text; surrounding whitespace is ignored and an empty
    /// token is refused.
    pub fn new(secret: &str) -> Result<Self, ServerError> {
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(ServerError::Config("the bearer token is empty".into()));
        }
        if !secret.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ServerError::Config(
                "the bearer token must be printable ASCII without spaces".into(),
            ));
        }
        Ok(Token {
            digest: Sha256::digest(secret.as_bytes()).into(),
        })
    }

    /// Read a token file (the first line's content; whitespace trimmed).
    pub fn from_file(path: &Path) -> Result<Self, ServerError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServerError::Io {
            context: format!("cannot read token file {}", path.display()),
            source,
        })?;
        Token::new(text.lines().next().unwrap_or(""))
            .map_err(|e| ServerError::Config(format!("token file {}: {e}", path.display())))
    }

    /// Constant-time check of a presented token.
    pub fn matches(&self, presented: &str) -> bool {
        let d: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        d.ct_eq(&self.digest).into()
    }
}

/// Checks `authorization: Bearer …` when a token is configured.
#[derive(Clone, Debug, Default)]
pub struct AuthInterceptor {
    token: Option<Arc<Token>>,
}

impl AuthInterceptor {
    /// An interceptor for `token` (`None`: everything passes).
    pub fn new(token: Option<Token>) -> Self {
        AuthInterceptor {
            token: token.map(Arc::new),
        }
    }
}

impl Interceptor for AuthInterceptor {
    fn call(&mut self, req: Request<()>) -> Result<Request<()>, Status> {
        let Some(token) = &self.token else {
            return Ok(req);
        };
        let presented = req
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            });
        match presented {
            Some(t) if token.matches(t) => Ok(req),
            Some(_) => Err(Status::unauthenticated("invalid bearer token")),
            None => Err(Status::unauthenticated(
                "missing bearer token: send the metadata `authorization: Bearer <token>`",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_compare() {
        let t = Token::new(" s3cret\n").unwrap();
        assert!(t.matches("s3cret"));
        assert!(!t.matches("s3cre"));
        assert!(!t.matches(""));
        assert!(Token::new("  ").is_err());
        assert_eq!(format!("{t:?}"), "Token(<secret>)");
    }

    #[test]
    fn interceptor() {
        let mut i = AuthInterceptor::new(Some(Token::new("abc").unwrap()));
        let mut ok = Request::new(());
        ok.metadata_mut()
            .insert("authorization", "Bearer abc".parse().unwrap());
        assert!(i.call(ok).is_ok());
        let mut bad = Request::new(());
        bad.metadata_mut()
            .insert("authorization", "Bearer abd".parse().unwrap());
        assert_eq!(
            i.call(bad).unwrap_err().code(),
            tonic::Code::Unauthenticated
        );
        assert_eq!(
            i.call(Request::new(())).unwrap_err().code(),
            tonic::Code::Unauthenticated
        );
        assert!(AuthInterceptor::new(None).call(Request::new(())).is_ok());
    }
}
