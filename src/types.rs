//! The vocabulary shared by every layer: SPEC labels, the traffic-light
//! verdict, where a span came from, and the one span type.
//!
//! Spans inside the crate are half-open **byte** ranges into the original
//! input. They become Unicode code point offsets only at the wire, through
//! [`crate::text::Text`]. Nothing in this module knows about rules, models or
//! servers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the fourteen labels fixed by the SPEC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Label {
    /// Name of a natural person.
    Person,
    /// Company, authority, club, hospital, school.
    Organization,
    /// City, region, country, named place not part of a postal address.
    Location,
    /// Postal address or its parts.
    Address,
    /// E-mail address.
    Email,
    /// Phone or fax number.
    Phone,
    /// Web address.
    Url,
    /// IPv4 or IPv6 address.
    IpAddress,
    /// IBAN or other bank account identifier.
    Iban,
    /// Payment card number.
    CreditCard,
    /// Identifier of a person or their case (customer, order, tax, ID card …).
    IdNumber,
    /// Calendar date tied to a person or case.
    Date,
    /// Health data (Art. 9 GDPR).
    Health,
    /// Other Art. 9 data: religion, politics, union, orientation, ethnicity …
    SpecialCategory,
}

impl Label {
    /// All labels in SPEC order.
    pub const ALL: [Label; 14] = [
        Label::Person,
        Label::Organization,
        Label::Location,
        Label::Address,
        Label::Email,
        Label::Phone,
        Label::Url,
        Label::IpAddress,
        Label::Iban,
        Label::CreditCard,
        Label::IdNumber,
        Label::Date,
        Label::Health,
        Label::SpecialCategory,
    ];

    /// The SPEC spelling, e.g. `"ID_NUMBER"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Organization => "ORGANIZATION",
            Label::Location => "LOCATION",
            Label::Address => "ADDRESS",
            Label::Email => "EMAIL",
            Label::Phone => "PHONE",
            Label::Url => "URL",
            Label::IpAddress => "IP_ADDRESS",
            Label::Iban => "IBAN",
            Label::CreditCard => "CREDIT_CARD",
            Label::IdNumber => "ID_NUMBER",
            Label::Date => "DATE",
            Label::Health => "HEALTH",
            Label::SpecialCategory => "SPECIAL_CATEGORY",
        }
    }

    /// Art. 9 GDPR categories (health and the other special categories).
    pub fn is_art9(self) -> bool {
        matches!(self, Label::Health | Label::SpecialCategory)
    }

    /// Labels that reach a person directly (contact or account data).
    pub fn is_contact(self) -> bool {
        matches!(
            self,
            Label::Email | Label::Phone | Label::Address | Label::Iban | Label::CreditCard
        )
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a string that is not one of the SPEC labels.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown label {0:?} (expected one of PERSON, ORGANIZATION, LOCATION, ADDRESS, EMAIL, PHONE, URL, IP_ADDRESS, IBAN, CREDIT_CARD, ID_NUMBER, DATE, HEALTH, SPECIAL_CATEGORY)")]
pub struct UnknownLabel(pub String);

impl FromStr for Label {
    type Err = UnknownLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let up = s.trim().to_ascii_uppercase();
        Label::ALL
            .into_iter()
            .find(|l| l.as_str() == up)
            .ok_or_else(|| UnknownLabel(s.to_string()))
    }
}

/// The traffic-light verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Ampel {
    /// No personal data: may go out as is.
    Green,
    /// Personal data: may go out only after anonymisation.
    Yellow,
    /// Art. 9 data about a person or bulk customer data: not for consumer AI.
    Red,
}

impl Ampel {
    /// `"GREEN"`, `"YELLOW"` or `"RED"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Ampel::Green => "GREEN",
            Ampel::Yellow => "YELLOW",
            Ampel::Red => "RED",
        }
    }
}

impl fmt::Display for Ampel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Ampel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "GREEN" => Ok(Ampel::Green),
            "YELLOW" => Ok(Ampel::Yellow),
            "RED" => Ok(Ampel::Red),
            _ => Err(format!("unknown ampel colour {s:?} (GREEN, YELLOW or RED)")),
        }
    }
}

/// Where a fused entity came from (the SPEC's `source` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// Only the NER model found it.
    #[serde(rename = "model")]
    Model,
    /// Only a rule or lexicon found it.
    #[serde(rename = "rule")]
    Rule,
    /// Model and a rule agreed on it.
    #[serde(rename = "model+rule")]
    ModelRule,
}

impl Source {
    /// `"model"`, `"rule"` or `"model+rule"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Model => "model",
            Source::Rule => "rule",
            Source::ModelRule => "model+rule",
        }
    }
}

/// A half-open byte range `[start, end)` into the original input.
///
/// Both ends always lie on `char` boundaries of the text they index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A new span; `start <= end` is the caller's promise.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start after end. This is a bug.");
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span.
    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies completely inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// How a detector found a hit; fusion ranks hits by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HitKind {
    /// Structured value with a checksum or strict syntax (IBAN, e-mail, Luhn,
    /// Steuer-ID, IP, URL …): beats everything.
    Validated,
    /// A pattern rule without checksum (address, date, keyword-led ID, phone).
    Pattern,
    /// A lexicon term (health, special categories, name lists).
    Lexicon,
    /// The NER model.
    Model,
}

impl HitKind {
    /// True for the model, false for every rule or lexicon.
    pub fn is_model(self) -> bool {
        matches!(self, HitKind::Model)
    }
}

/// One raw detection before fusion.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Byte span in the original text.
    pub span: Span,
    /// SPEC label.
    pub label: Label,
    /// Confidence in `[0, 1]`; rules use fixed documented scores.
    pub score: f32,
    /// Which kind of detector produced it.
    pub kind: HitKind,
}

impl Hit {
    /// Convenience constructor.
    pub fn new(start: usize, end: usize, label: Label, score: f32, kind: HitKind) -> Self {
        Hit {
            span: Span::new(start, end),
            label,
            score,
            kind,
        }
    }
}

/// One fused, non-overlapping entity as reported to callers.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Byte span in the original text.
    pub span: Span,
    /// SPEC label.
    pub label: Label,
    /// Confidence in `[0, 1]`.
    pub score: f32,
    /// Model, rule, or both.
    pub source: Source,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_through_strings_and_serde() {
        for l in Label::ALL {
            assert_eq!(l.as_str().parse::<Label>(), Ok(l));
            let json = serde_json::to_string(&l).unwrap();
            assert_eq!(json, format!("\"{}\"", l.as_str()));
        }
        assert!("NAME".parse::<Label>().is_err());
        assert_eq!("id_number".parse::<Label>(), Ok(Label::IdNumber));
    }

    #[test]
    fn source_serialises_as_spec() {
        assert_eq!(
            serde_json::to_string(&Source::ModelRule).unwrap(),
            "\"model+rule\""
        );
        assert_eq!(serde_json::to_string(&Ampel::Red).unwrap(), "\"RED\"");
    }

    #[test]
    fn span_relations() {
        let a = Span::new(0, 5);
        assert!(a.overlaps(&Span::new(4, 6)));
        assert!(!a.overlaps(&Span::new(5, 6)));
        assert!(a.contains(&Span::new(1, 5)));
        assert_eq!(a.len(), 5);
    }
}
