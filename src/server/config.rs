//! `ampel serve` configuration: the raw flags ([`ServeArgs`], clap derive with
//! an `AMPEL_*` environment variable on each), the optional TOML file with
//! the same keys, and the validated [`ServeConfig`] the daemon runs on.
//!
//! Precedence: flags > environment > TOML file > defaults. Clap merges flags
//! and environment into `Option`s; [`ServeArgs::resolve`] fills what is left
//! from the file, then from the defaults, and checks the result (a
//! non-loopback gRPC or HTTP address without `--allow-remote` is an error,
//! and so is a metrics address that is not loopback). This module reads the
//! key and token files but never logs their content.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::auth::Token;
use super::seal::SealKey;
use super::ServerError;

/// Default TCP address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:50051";
/// Default address of the web page and the HTTP/JSON API.
pub const DEFAULT_HTTP_ADDR: &str = "127.0.0.1:8787";
/// Default maximum gRPC message size (the gRPC convention, 4 MiB).
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 4 << 20;
/// Room for protobuf framing and options next to the largest text: the
/// message limit is never below `max_text_bytes` plus this.
pub const MESSAGE_OVERHEAD_BYTES: usize = 64 << 10;
/// Default queue capacity in texts.
pub const DEFAULT_QUEUE_CAPACITY: usize = 256;
/// Default maximum number of texts per batch.
pub const DEFAULT_MAX_BATCH_TEXTS: usize = 32;
/// Default maximum number of characters per batch.
pub const DEFAULT_MAX_BATCH_CHARS: usize = 64 * 1024;
/// Default longest wait for a batch to fill, in milliseconds.
pub const DEFAULT_BATCH_WAIT_MS: u64 = 2;
/// Default number of requests one `AnalyzeStream` reads ahead.
pub const DEFAULT_STREAM_WINDOW: usize = 32;
/// Default lifetime of restore handles.
pub const DEFAULT_RESTORE_TTL: Duration = Duration::from_secs(3600);
/// Default time to wait for in-flight requests at shutdown.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);

/// `ampel serve` flags. Every flag can also be set through the environment
/// variable named after it or in the `--config` TOML file.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// TOML file with any of the options below, keys spelled like the flags
    /// without the dashes in front (`max-batch-texts = 32`,
    /// `restore-ttl = "2h"`). Flags and environment variables win.
    #[arg(long, env = "AMPEL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// TCP address to listen on [default: 127.0.0.1:50051]. An address that
    /// is not loopback also needs --allow-remote.
    #[arg(long, env = "AMPEL_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,

    /// Listen on this Unix domain socket instead of TCP. A stale socket file
    /// is replaced; the socket is created with mode 0600 and removed at exit.
    #[arg(
        long,
        env = "AMPEL_UDS",
        value_name = "PATH",
        conflicts_with = "listen"
    )]
    pub uds: Option<PathBuf>,

    /// Allow --listen on an address other than loopback. Anyone who can
    /// reach the port can then send texts; combine it with --token-file and
    /// a firewall.
    #[arg(long, env = "AMPEL_ALLOW_REMOTE", value_parser = clap::builder::FalseyValueParser::new())]
    pub allow_remote: bool,

    /// File holding a bearer token. When set, every ampel.v1 call needs the
    /// metadata `authorization: Bearer <token>`, otherwise it fails with
    /// UNAUTHENTICATED. Health and reflection stay open.
    #[arg(long, env = "AMPEL_TOKEN_FILE", value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// File holding the 32-byte key that seals restore handles (raw bytes,
    /// base64 or hex; make one with `head -c 32 /dev/urandom | base64`).
    /// Without it every start draws a random key, so handles die with the
    /// process. Give all replicas behind one load balancer the same file.
    #[arg(long, env = "AMPEL_KEY_FILE", value_name = "FILE")]
    pub key_file: Option<PathBuf>,

    /// Lifetime of restore handles, e.g. `90s`, `30m`, `1h`, `7d`
    /// [default: 1h].
    #[arg(long, env = "AMPEL_RESTORE_TTL", value_name = "DURATION", value_parser = parse_duration)]
    pub restore_ttl: Option<Duration>,

    /// Largest gRPC message accepted, in bytes; a larger one fails with
    /// RESOURCE_EXHAUSTED. Raised automatically to --max-text-bytes + 64 KiB
    /// when smaller. A text over --max-text-bytes (the engine's limit) fails
    /// with INVALID_ARGUMENT [default: 4194304].
    #[arg(long, env = "AMPEL_MAX_MESSAGE_BYTES", value_name = "BYTES")]
    pub max_message_bytes: Option<usize>,

    /// Texts that may wait for the analysis worker. When the queue is full a
    /// unary call fails at once with RESOURCE_EXHAUSTED (retry with backoff);
    /// a stream waits instead [default: 256].
    #[arg(long, env = "AMPEL_QUEUE_CAPACITY", value_name = "TEXTS")]
    pub queue_capacity: Option<usize>,

    /// Most texts the worker analyses in one batch [default: 32].
    #[arg(long, env = "AMPEL_MAX_BATCH_TEXTS", value_name = "TEXTS")]
    pub max_batch_texts: Option<usize>,

    /// Most characters in one batch; a single larger text runs alone
    /// [default: 65536].
    #[arg(long, env = "AMPEL_MAX_BATCH_CHARS", value_name = "CHARS")]
    pub max_batch_chars: Option<usize>,

    /// Longest wait, in milliseconds, for more requests to fill a batch once
    /// the first arrived. Applies only when a model is loaded (rules gain
    /// nothing from batching) [default: 2].
    #[arg(long, env = "AMPEL_BATCH_WAIT_MS", value_name = "MS")]
    pub batch_wait_ms: Option<u64>,

    /// Requests one AnalyzeStream reads ahead of its answers (backpressure)
    /// [default: 32].
    #[arg(long, env = "AMPEL_STREAM_WINDOW", value_name = "N")]
    pub stream_window: Option<usize>,

    /// How long SIGINT/SIGTERM waits for in-flight requests before giving up,
    /// e.g. `30s` [default: 30s].
    #[arg(long, env = "AMPEL_SHUTDOWN_TIMEOUT", value_name = "DURATION", value_parser = parse_duration)]
    pub shutdown_timeout: Option<Duration>,

    /// Serve Prometheus metrics at http://ADDR/metrics. Loopback addresses
    /// only [default: off].
    #[arg(long, env = "AMPEL_METRICS_ADDR", value_name = "ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// Address of the web page and the HTTP/JSON API (`/v1/analyze`,
    /// `/v1/redact`, `/v1/restore`, `/v1/info`, `/v1/health`)
    /// [default: 127.0.0.1:8787]. An address that is not loopback also needs
    /// --allow-remote. Limits and --token-file apply as for gRPC.
    #[arg(long, env = "AMPEL_HTTP_ADDR", value_name = "ADDR")]
    pub http_addr: Option<SocketAddr>,

    /// Do not serve the web page and the HTTP/JSON API (gRPC only). Wins
    /// over --http-addr.
    #[arg(long, env = "AMPEL_NO_HTTP", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_http: bool,
}

/// The TOML file: the same keys as the flags.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileConfig {
    listen: Option<SocketAddr>,
    uds: Option<PathBuf>,
    allow_remote: Option<bool>,
    token_file: Option<PathBuf>,
    key_file: Option<PathBuf>,
    restore_ttl: Option<String>,
    max_message_bytes: Option<usize>,
    queue_capacity: Option<usize>,
    max_batch_texts: Option<usize>,
    max_batch_chars: Option<usize>,
    batch_wait_ms: Option<u64>,
    stream_window: Option<usize>,
    shutdown_timeout: Option<String>,
    metrics_addr: Option<SocketAddr>,
    http_addr: Option<SocketAddr>,
    no_http: Option<bool>,
}

/// Where the daemon listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    /// A TCP address (loopback unless remote access was allowed).
    Tcp(SocketAddr),
    /// A Unix domain socket path.
    Uds(PathBuf),
}

impl fmt::Display for Listen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Listen::Tcp(a) => write!(f, "{a}"),
            Listen::Uds(p) => write!(f, "unix:{}", p.display()),
        }
    }
}

/// Sizes and batching limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest gRPC message in bytes (raised to `max_text_bytes` +
    /// [`MESSAGE_OVERHEAD_BYTES`] when smaller).
    pub max_message_bytes: usize,
    /// Largest text in UTF-8 bytes; the analyzer's own limit
    /// ([`crate::Analyzer::max_text_bytes`], set by `--max-text-bytes`) caps
    /// it. Default: no extra server limit.
    pub max_text_bytes: usize,
    /// Queue capacity in texts.
    pub queue_capacity: usize,
    /// Most texts per batch.
    pub max_batch_texts: usize,
    /// Most characters per batch.
    pub max_batch_chars: usize,
    /// Longest wait for a batch to fill (only with a model).
    pub batch_wait: Duration,
    /// Requests one stream reads ahead.
    pub stream_window: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            max_text_bytes: usize::MAX,
            queue_capacity: DEFAULT_QUEUE_CAPACITY,
            max_batch_texts: DEFAULT_MAX_BATCH_TEXTS,
            max_batch_chars: DEFAULT_MAX_BATCH_CHARS,
            batch_wait: Duration::from_millis(DEFAULT_BATCH_WAIT_MS),
            stream_window: DEFAULT_STREAM_WINDOW,
        }
    }
}

/// A callback run on the worker thread (test hooks).
pub type Hook = Arc<dyn Fn() + Send + Sync>;

/// Test hooks: code that runs on the analysis worker thread, e.g. to hold
/// the worker and observe health or a full queue. Empty in production.
#[derive(Clone, Default)]
pub struct Hooks {
    /// Runs once before the warm-up analysis (health stays NOT_SERVING
    /// until it returns).
    pub before_warmup: Option<Hook>,
    /// Runs before each batch is analysed.
    pub before_batch: Option<Hook>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("before_warmup", &self.before_warmup.is_some())
            .field("before_batch", &self.before_batch.is_some())
            .finish()
    }
}

/// Validated configuration of the daemon (flags > env > TOML file >
/// defaults). Secrets inside never show in `Debug` output.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen (used by [`super::run`]; [`super::serve_with_shutdown`]
    /// takes a bound listener instead).
    pub listen: Listen,
    /// Bearer token every `ampel.v1` call must present, if any.
    pub token: Option<Token>,
    /// The key that seals restore handles.
    pub seal_key: SealKey,
    /// Lifetime of restore handles.
    pub restore_ttl: Duration,
    /// Sizes and batching.
    pub limits: Limits,
    /// How long shutdown waits for in-flight requests.
    pub shutdown_timeout: Duration,
    /// Loopback address of the Prometheus endpoint, if any.
    pub metrics_addr: Option<SocketAddr>,
    /// Address of the web page and HTTP/JSON API (used by [`super::run`];
    /// `None` with `--no-http`). [`super::serve_with_shutdown`] ignores it
    /// and [`super::serve_with_http_and_shutdown`] takes a bound listener.
    pub http_addr: Option<SocketAddr>,
    /// Accept HTTP requests whose `Host` is not a loopback name (true when
    /// `--http-addr` is not loopback, which needs `--allow-remote`);
    /// otherwise such requests are refused, which stops DNS-rebinding
    /// attacks on the loopback page.
    pub http_allow_any_host: bool,
    /// Test hooks (empty in production).
    #[doc(hidden)]
    pub hooks: Hooks,
}

impl ServeConfig {
    /// Defaults everywhere, a fresh random sealing key, no token: what
    /// `ampel serve` without flags runs on. Handy for tests and embedding.
    pub fn new() -> Self {
        ServeConfig {
            listen: Listen::Tcp(
                DEFAULT_LISTEN
                    .parse()
                    .expect("the default address parses. This is a bug."),
            ),
            token: None,
            seal_key: SealKey::random(),
            restore_ttl: DEFAULT_RESTORE_TTL,
            limits: Limits::default(),
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            metrics_addr: None,
            http_addr: Some(
                DEFAULT_HTTP_ADDR
                    .parse()
                    .expect("the default HTTP address parses. This is a bug."),
            ),
            http_allow_any_host: false,
            hooks: Hooks::default(),
        }
    }
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self::new()
    }
}

fn config_err(msg: impl Into<String>) -> ServerError {
    ServerError::Config(msg.into())
}

impl ServeArgs {
    /// Merge flags/env with the TOML file and the defaults, read the token
    /// and key files, and validate everything.
    pub fn resolve(&self) -> Result<ServeConfig, ServerError> {
        let file = match &self.config {
            Some(path) => read_file_config(path)?,
            None => FileConfig::default(),
        };
        let ttl = |flag: Option<Duration>, file: &Option<String>, name: &str| match (flag, file) {
            (Some(d), _) => Ok(Some(d)),
            (None, Some(s)) => parse_duration(s)
                .map(Some)
                .map_err(|e| config_err(format!("{name} in the config file: {e}"))),
            (None, None) => Ok(None),
        };
        let restore_ttl =
            ttl(self.restore_ttl, &file.restore_ttl, "restore-ttl")?.unwrap_or(DEFAULT_RESTORE_TTL);
        let shutdown_timeout = ttl(
            self.shutdown_timeout,
            &file.shutdown_timeout,
            "shutdown-timeout",
        )?
        .unwrap_or(DEFAULT_SHUTDOWN_TIMEOUT);
        if restore_ttl < Duration::from_secs(1) {
            return Err(config_err("--restore-ttl must be at least 1s"));
        }

        // Flags/env beat the file: a flag that names the other transport
        // also overrides the file's choice.
        let (listen_addr, uds) = if self.listen.is_some() || self.uds.is_some() {
            (self.listen, self.uds.clone())
        } else {
            (file.listen, file.uds.clone())
        };
        let allow_remote = self.allow_remote || file.allow_remote.unwrap_or(false);
        let listen = match (listen_addr, uds) {
            (Some(_), Some(_)) => {
                return Err(config_err("choose either --listen or --uds, not both"))
            }
            (None, Some(p)) => Listen::Uds(p),
            (addr, None) => {
                let addr = match addr {
                    Some(a) => a,
                    None => DEFAULT_LISTEN
                        .parse()
                        .expect("the default address parses. This is a bug."),
                };
                if !addr.ip().is_loopback() && !allow_remote {
                    return Err(config_err(format!(
                        "refusing to listen on {addr}, which is not a loopback address: \
                         pass --allow-remote (and consider --token-file) to accept remote clients"
                    )));
                }
                Listen::Tcp(addr)
            }
        };

        let metrics_addr = self.metrics_addr.or(file.metrics_addr);
        if let Some(a) = metrics_addr {
            if !a.ip().is_loopback() {
                return Err(config_err(format!(
                    "--metrics-addr {a} is not a loopback address; metrics are served on loopback only"
                )));
            }
        }

        let no_http = self.no_http || file.no_http.unwrap_or(false);
        let http_addr = if no_http {
            None
        } else {
            let a = match self.http_addr.or(file.http_addr) {
                Some(a) => a,
                None => DEFAULT_HTTP_ADDR
                    .parse()
                    .expect("the default HTTP address parses. This is a bug."),
            };
            if !a.ip().is_loopback() && !allow_remote {
                return Err(config_err(format!(
                    "refusing to serve the web page and HTTP API on {a}, which is not a loopback \
                     address: pass --allow-remote (and consider --token-file), or --no-http"
                )));
            }
            if matches!(listen, Listen::Tcp(g) if g == a) {
                return Err(config_err(format!(
                    "--http-addr {a} is also the gRPC address; give them different ports"
                )));
            }
            if metrics_addr == Some(a) {
                return Err(config_err(format!(
                    "--http-addr {a} is also the metrics address; give them different ports"
                )));
            }
            Some(a)
        };

        let token = match self.token_file.as_ref().or(file.token_file.as_ref()) {
            Some(p) => Some(Token::from_file(p)?),
            None => None,
        };
        let seal_key = match self.key_file.as_ref().or(file.key_file.as_ref()) {
            Some(p) => SealKey::from_file(p)?,
            None => SealKey::random(),
        };

        let pick = |flag: Option<usize>, file: Option<usize>, default: usize| {
            flag.or(file).unwrap_or(default)
        };
        let limits = Limits {
            max_message_bytes: pick(
                self.max_message_bytes,
                file.max_message_bytes,
                DEFAULT_MAX_MESSAGE_BYTES,
            ),
            max_text_bytes: usize::MAX,
            queue_capacity: pick(
                self.queue_capacity,
                file.queue_capacity,
                DEFAULT_QUEUE_CAPACITY,
            ),
            max_batch_texts: pick(
                self.max_batch_texts,
                file.max_batch_texts,
                DEFAULT_MAX_BATCH_TEXTS,
            ),
            max_batch_chars: pick(
                self.max_batch_chars,
                file.max_batch_chars,
                DEFAULT_MAX_BATCH_CHARS,
            ),
            batch_wait: Duration::from_millis(
                self.batch_wait_ms
                    .or(file.batch_wait_ms)
                    .unwrap_or(DEFAULT_BATCH_WAIT_MS),
            ),
            stream_window: pick(
                self.stream_window,
                file.stream_window,
                DEFAULT_STREAM_WINDOW,
            ),
        };
        validate_limits(&limits)?;

        Ok(ServeConfig {
            listen,
            token,
            seal_key,
            restore_ttl,
            limits,
            shutdown_timeout,
            metrics_addr,
            http_allow_any_host: http_addr.is_some_and(|a| !a.ip().is_loopback()),
            http_addr,
            hooks: Hooks::default(),
        })
    }
}

fn validate_limits(l: &Limits) -> Result<(), ServerError> {
    for (name, v) in [
        ("--max-message-bytes", l.max_message_bytes),
        ("--queue-capacity", l.queue_capacity),
        ("--max-batch-texts", l.max_batch_texts),
        ("--max-batch-chars", l.max_batch_chars),
        ("--stream-window", l.stream_window),
    ] {
        if v == 0 {
            return Err(config_err(format!("{name} must be at least 1")));
        }
    }
    if l.stream_window > l.queue_capacity {
        return Err(config_err(format!(
            "--stream-window ({}) must not exceed --queue-capacity ({})",
            l.stream_window, l.queue_capacity
        )));
    }
    if l.batch_wait > Duration::from_secs(1) {
        return Err(config_err("--batch-wait-ms must be at most 1000"));
    }
    Ok(())
}

fn read_file_config(path: &Path) -> Result<FileConfig, ServerError> {
    let text = std::fs::read_to_string(path).map_err(|source| ServerError::Io {
        context: format!("cannot read config file {}", path.display()),
        source,
    })?;
    toml::from_str(&text).map_err(|e| {
        config_err(format!(
            "invalid config file {}: {}",
            path.display(),
            e.message()
        ))
    })
}

/// Parse a duration such as `250ms`, `90s`, `30m`, `1h`, `7d` or a plain
/// number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid duration {s:?} (e.g. 90s, 30m, 1h, 7d)"))?;
    let secs = |mult: u64| {
        n.checked_mul(mult)
            .map(Duration::from_secs)
            .ok_or_else(|| format!("duration {s:?} is too long"))
    };
    match unit.trim() {
        "ms" => Ok(Duration::from_millis(n)),
        "" | "s" => secs(1),
        "m" | "min" => secs(60),
        "h" => secs(3600),
        "d" => secs(86_400),
        _ => Err(format!(
            "invalid duration unit in {s:?} (use ms, s, m, h or d)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_has_help_and_an_env_var() {
        use clap::CommandFactory;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let cmd = Cli::command();
        cmd.clone().debug_assert();
        for arg in cmd.get_arguments().filter(|a| a.get_long().is_some()) {
            let name = arg.get_long().unwrap();
            if name == "help" {
                continue;
            }
            assert!(arg.get_help().is_some(), "--{name} has no help");
            let env = arg
                .get_env()
                .unwrap_or_else(|| panic!("--{name} has no env var"));
            assert_eq!(
                env.to_str().unwrap(),
                format!("AMPEL_{}", name.to_uppercase().replace('-', "_"))
            );
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("5 weeks").is_err());
    }

    #[test]
    fn defaults_are_loopback() {
        let cfg = ServeArgs::default().resolve().unwrap();
        assert_eq!(cfg.listen, Listen::Tcp(DEFAULT_LISTEN.parse().unwrap()));
        assert!(cfg.token.is_none());
        assert_eq!(cfg.limits, Limits::default());
        assert_eq!(cfg.http_addr, Some(DEFAULT_HTTP_ADDR.parse().unwrap()));
        assert!(!cfg.http_allow_any_host);
    }

    #[test]
    fn http_flags() {
        let mut a = ServeArgs {
            http_addr: Some("0.0.0.0:8787".parse().unwrap()),
            ..ServeArgs::default()
        };
        assert!(a.resolve().is_err(), "remote HTTP needs --allow-remote");
        a.allow_remote = true;
        let cfg = a.resolve().unwrap();
        assert_eq!(cfg.http_addr, Some("0.0.0.0:8787".parse().unwrap()));
        assert!(cfg.http_allow_any_host);
        a.http_addr = None;
        let cfg = a.resolve().unwrap();
        assert!(
            !cfg.http_allow_any_host,
            "a loopback page keeps its Host check"
        );
        a.no_http = true;
        assert_eq!(a.resolve().unwrap().http_addr, None, "--no-http wins");
        let clash = ServeArgs {
            http_addr: Some(DEFAULT_LISTEN.parse().unwrap()),
            ..ServeArgs::default()
        };
        assert!(clash.resolve().is_err(), "gRPC and HTTP need two ports");
    }

    #[test]
    fn remote_needs_explicit_flag() {
        let mut a = ServeArgs {
            listen: Some("0.0.0.0:50051".parse().unwrap()),
            ..ServeArgs::default()
        };
        assert!(matches!(a.resolve(), Err(ServerError::Config(_))));
        a.allow_remote = true;
        assert!(a.resolve().is_ok());
        a.metrics_addr = Some("0.0.0.0:9100".parse().unwrap());
        assert!(a.resolve().is_err(), "metrics stay on loopback");
    }

    #[test]
    fn toml_file_fills_gaps_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ampel.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:6000\"\nmax-batch-texts = 7\nrestore-ttl = \"2h\"\nqueue-capacity = 99\n",
        )
        .unwrap();
        let a = ServeArgs {
            config: Some(path.clone()),
            queue_capacity: Some(50),
            ..ServeArgs::default()
        };
        let cfg = a.resolve().unwrap();
        assert_eq!(cfg.listen, Listen::Tcp("127.0.0.1:6000".parse().unwrap()));
        assert_eq!(cfg.limits.max_batch_texts, 7);
        assert_eq!(cfg.limits.queue_capacity, 50);
        assert_eq!(cfg.restore_ttl, Duration::from_secs(7200));

        std::fs::write(&path, "no-such-key = 1\n").unwrap();
        assert!(a.resolve().is_err(), "unknown keys are rejected");
    }
}
