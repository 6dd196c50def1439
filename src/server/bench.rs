//! `ampel bench`: a load generator that drives a running daemon over gRPC
//! at several concurrency levels with realistic German support tickets and
//! reports requests per second and latency percentiles as a Markdown table.
//!
//! Every simulated client has its own connection and sends its next request
//! as soon as the previous answer arrived (closed loop). Latency is measured
//! per call on the client, so it includes the network stack, queueing,
//! batching and analysis.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tonic::transport::{Channel, Endpoint};

use super::auth::Token;
use super::config::parse_duration;
use super::pb;
use super::pb::ampel_client::AmpelClient;
use super::ServerError;

/// Twenty varied German support tickets: names, contact data, IDs, bank
/// data, addresses, dates, health data, threads, and harmless statistics.
pub const TICKETS: [&str; 20] = [
    "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: \"Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und brauche die Babyausstattung dringend.\"",
    "Guten Tag, mein Name ist Thomas Müller. Ich möchte meine Bankverbindung ändern: neue IBAN DE89 3704 0044 0532 0130 00. Vielen Dank, T. Müller",
    "Hallo liebes Team, leider wurde die Lieferung an die Lindenstraße 12, 04109 Leipzig falsch zugestellt. Bitte rufen Sie mich unter 0171 2345678 zurück. Gruß, Sabine Krause",
    "Durchschnittlicher Warenkorbwert im März: 85 €. NPS: 72. Retourenquote: 4,1 %. Bitte fasse die Kennzahlen für das Monatsreporting zusammen.",
    "Sehr geehrte Damen und Herren, ich (Herr Özdemir, Kundennummer 20931) bitte um Stornierung meines Vertrags zum 31.03.2025. Mit freundlichen Grüßen",
    "Kunde Jan Becker schreibt: \"Seit meiner Knie-OP kann ich die Treppe nicht mehr steigen, bitte liefern Sie das Paket an die Nachbarin.\" Bestellnummer 55-1182.",
    "Von: petra.schmidt@firma-beispiel.de\nAn: support@shop.example\nBetreff: Rechnung 2024-0815\n\nHallo, die Rechnung ist doppelt abgebucht worden. Kreditkarte 4111 1111 1111 1111. Bitte erstatten.",
    "Wie formuliere ich eine freundliche Antwort auf eine Beschwerde über lange Lieferzeiten? Bitte eine allgemeine Vorlage ohne konkrete Namen.",
    "Die Kundin Frau Dr. Lena Hoffmann (geb. 03.07.1981) hat Diabetes Typ 1 und fragt, ob die Insulinkühltasche auch bei 35 Grad funktioniert.",
    "Rückrufbitte: Herr Klaus Wagner, Tel. +49 30 1234567, wegen Reklamation der Waschmaschine, Auftrag A-77821. Er ist ab 14 Uhr erreichbar.",
    "Ticket #44120: Login schlägt fehl von IP 192.0.2.7, Benutzer m.schulze@example.org. Bitte Konto entsperren.",
    "Bewertung von Anna S. aus München: \"Super Service, schnelle Lieferung, gerne wieder!\" 5 Sterne.",
    "Bitte erstelle eine Zusammenfassung: 312 Tickets im Februar, davon 41 % Lieferverzug, 22 % Rücksendungen, 9 % Zahlungsfragen. Durchschnittliche Bearbeitungszeit 6,5 Stunden.",
    "Herr Yilmaz ist Gewerkschaftsmitglied und möchte wissen, ob der Betriebsrat über die Schichtplanänderung informiert wurde. Personalnummer 004512.",
    "Sehr geehrter Herr Fischer, Ihre Bestellung 2024-11-0042 wird am 12.12. an die Goethestraße 5, 80336 München geliefert. Bei Fragen: service@example.com.",
    "Meine Tochter sitzt im Rollstuhl. Gibt es den Kinderwagen-Aufsatz auch in einer barrierefreien Variante? Viele Grüße, Martina Lehmann",
    "Kundenliste Export:\nName;E-Mail;Kundennr\nMax Mustermann;max@example.com;1001\nErika Musterfrau;erika@example.com;1002\nJonas Weber;jonas.w@example.net;1003",
    "Hallo, ich habe die Ware am 02.05. zurückgeschickt, Sendungsnummer 00340434161234567890. Wann kommt die Gutschrift? Gruß Stefan Braun",
    "Bitte übersetze ins Englische: \"Vielen Dank für Ihre Geduld. Wir melden uns innerhalb von zwei Werktagen.\"",
    "Frau Katharina Vogel, katholisch, bittet darum, dass die Lieferung nicht an Feiertagen erfolgt. Adresse: Am Markt 3, 01067 Dresden, Telefon 0351 987654.",
];

/// Which RPC the load generator calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchRpc {
    /// `Analyze`: verdict, entities, redaction.
    Analyze,
    /// `Redact`: the same plus a sealed restore handle.
    Redact,
}

/// `ampel bench` flags.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Address of the running daemon (`http://` is added when missing).
    #[arg(
        long,
        env = "AMPEL_BENCH_ADDR",
        default_value = "http://127.0.0.1:50051"
    )]
    pub addr: String,

    /// File with the daemon's bearer token, if it requires one.
    #[arg(long, env = "AMPEL_TOKEN_FILE", value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Concurrency levels (simulated clients), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,4,16")]
    pub concurrency: Vec<usize>,

    /// Measured requests per concurrency level.
    #[arg(long, default_value_t = 2000)]
    pub requests: usize,

    /// Run each level for this long instead of a fixed number of requests,
    /// e.g. `10s`.
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub duration: Option<Duration>,

    /// Unmeasured warm-up requests per level.
    #[arg(long, default_value_t = 50)]
    pub warmup: usize,

    /// Which RPC to call.
    #[arg(long, value_enum, default_value = "analyze")]
    pub rpc: BenchRpc,

    /// Ask the daemon to skip its model (`AnalyzeOptions.rules_only`).
    #[arg(long)]
    pub rules_only: bool,
}

impl Default for BenchArgs {
    fn default() -> Self {
        BenchArgs {
            addr: "http://127.0.0.1:50051".into(),
            token_file: None,
            concurrency: vec![1, 4, 16],
            requests: 2000,
            duration: None,
            warmup: 50,
            rpc: BenchRpc::Analyze,
            rules_only: false,
        }
    }
}

/// Measurements of one concurrency level.
struct Level {
    concurrency: usize,
    ok: usize,
    errors: usize,
    wall: Duration,
    latencies: Vec<Duration>,
}

#[derive(Clone)]
struct Client {
    inner: AmpelClient<Channel>,
    auth: Option<tonic::metadata::MetadataValue<tonic::metadata::Ascii>>,
    rpc: BenchRpc,
    rules_only: bool,
}

impl Client {
    async fn call(&mut self, text: &str) -> Result<(), tonic::Status> {
        let options = self.rules_only.then(|| pb::AnalyzeOptions {
            rules_only: true,
            ..Default::default()
        });
        match self.rpc {
            BenchRpc::Analyze => {
                let mut req = tonic::Request::new(pb::AnalyzeRequest {
                    text: text.to_string(),
                    options,
                });
                if let Some(a) = &self.auth {
                    req.metadata_mut().insert("authorization", a.clone());
                }
                self.inner.analyze(req).await.map(|_| ())
            }
            BenchRpc::Redact => {
                let mut req = tonic::Request::new(pb::RedactRequest {
                    text: text.to_string(),
                    options,
                });
                if let Some(a) = &self.auth {
                    req.metadata_mut().insert("authorization", a.clone());
                }
                self.inner.redact(req).await.map(|_| ())
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Drive the daemon at `args.addr` and return a Markdown report.
pub async fn bench(args: &BenchArgs) -> Result<String, ServerError> {
    let addr = if args.addr.contains("://") {
        args.addr.clone()
    } else {
        format!("http://{}", args.addr)
    };
    let endpoint = Endpoint::from_shared(addr.clone())
        .map_err(|e| ServerError::Config(format!("invalid --addr {addr}: {e}")))?
        .tcp_nodelay(true);
    let auth = match &args.token_file {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| ServerError::Io {
                context: format!("cannot read token file {}", p.display()),
                source,
            })?;
            let token = text.lines().next().unwrap_or("").trim().to_string();
            Token::new(&token)?;
            Some(
                format!("Bearer {token}")
                    .parse::<tonic::metadata::MetadataValue<tonic::metadata::Ascii>>()
                    .map_err(|_| ServerError::Config("token is not valid metadata".into()))?,
            )
        }
        None => None,
    };
    if args.concurrency.is_empty() || args.concurrency.contains(&0) {
        return Err(ServerError::Config(
            "--concurrency needs positive numbers".into(),
        ));
    }

    let channel = endpoint.connect().await?;
    let mut info_client = AmpelClient::new(channel);
    let mut info_req = tonic::Request::new(pb::InfoRequest {});
    if let Some(a) = &auth {
        info_req.metadata_mut().insert("authorization", a.clone());
    }
    let info = info_client
        .info(info_req)
        .await
        .map_err(|s| ServerError::Rpc(format!("Info: {s}")))?
        .into_inner();
    let engine = match (&info.model, args.rules_only) {
        (Some(m), false) => format!("model `{}` on {}", m.name, m.device),
        (Some(_), true) => "rules only (model skipped per request)".to_string(),
        (None, _) => "rules only (no model loaded)".to_string(),
    };

    let mut levels = Vec::new();
    for &c in &args.concurrency {
        let mut clients = Vec::with_capacity(c);
        for _ in 0..c {
            clients.push(Client {
                inner: AmpelClient::new(endpoint.connect().await?)
                    .max_decoding_message_size(64 << 20),
                auth: auth.clone(),
                rpc: args.rpc,
                rules_only: args.rules_only,
            });
        }
        // Warm-up, unmeasured.
        let warm = Arc::new(AtomicUsize::new(0));
        run_level(&clients, args.warmup, None, &warm).await;
        let counter = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let results = run_level(&clients, args.requests, args.duration, &counter).await;
        let wall = started.elapsed();
        let mut latencies = Vec::new();
        let mut errors = 0;
        for r in results {
            match r {
                Ok(d) => latencies.push(d),
                Err(_) => errors += 1,
            }
        }
        latencies.sort_unstable();
        levels.push(Level {
            concurrency: c,
            ok: latencies.len(),
            errors,
            wall,
            latencies,
        });
    }

    let avg_bytes = TICKETS.iter().map(|t| t.len()).sum::<usize>() / TICKETS.len();
    let mut out = format!(
        "ampel bench: `{:?}` against {addr} ({engine}, policy {}), {} German tickets of {avg_bytes} bytes on average\n\n",
        args.rpc,
        info.policy_version,
        TICKETS.len()
    );
    out.push_str(
        "| concurrency | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |\n",
    );
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for l in &levels {
        let rps = l.ok as f64 / l.wall.as_secs_f64().max(1e-9);
        out.push_str(&format!(
            "| {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} |\n",
            l.concurrency,
            l.ok,
            l.errors,
            rps,
            ms(percentile(&l.latencies, 50.0)),
            ms(percentile(&l.latencies, 95.0)),
            ms(percentile(&l.latencies, 99.0)),
            ms(l.latencies.last().copied().unwrap_or_default()),
        ));
    }
    Ok(out)
}

/// Closed loop: every client sends until `total` requests were claimed or
/// `duration` passed.
async fn run_level(
    clients: &[Client],
    total: usize,
    duration: Option<Duration>,
    counter: &Arc<AtomicUsize>,
) -> Vec<Result<Duration, tonic::Status>> {
    let end = duration.map(|d| Instant::now() + d);
    let mut tasks = Vec::with_capacity(clients.len());
    for client in clients {
        let mut client = client.clone();
        let counter = Arc::clone(counter);
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let more = match end {
                    Some(e) => Instant::now() < e,
                    None => n < total,
                };
                if !more {
                    break;
                }
                let text = TICKETS[n % TICKETS.len()];
                let t0 = Instant::now();
                let r = client.call(text).await;
                out.push(r.map(|()| t0.elapsed()));
            }
            out
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        if let Ok(v) = t.await {
            all.extend(v);
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&v, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&v, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }
}
