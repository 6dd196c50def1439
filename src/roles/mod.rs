//! Role nouns — offices, ranks, titles of nobility and religion,
//! professions, sports and business roles, and nationality nouns — that
//! introduce a person but are no part of the name (SPEC: "not the title";
//! GermEval 2014 tags them O: "Bundeskanzler Olaf Scholz").
//!
//! One list for both readers of names: the name rules
//! ([`crate::rules`], "Herr Bürgermeister Meyer") and the model decoder
//! ([`crate::model`], "Philosoph Immanuel Kant"). Neither may import the
//! other, so the list lives here, below both. The data is
//! `person_roles.txt`; its header says how it was written.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One word per line, `amb` for those that are also common surnames,
/// `demonym` for nationality nouns. See the file.
const ROLES: &str = include_str!("person_roles.txt");

/// What kind of role noun a word is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Only a role ("Philosoph", "Bürgermeister").
    Only,
    /// Also a common surname ("Koch", "Richter").
    AlsoSurname,
    /// A nationality noun ("Syrer"): never a name on its own either.
    Demonym,
}

/// The kind of role noun `word` is (case-sensitive), if it is one.
pub fn role_noun(word: &str) -> Option<Role> {
    static MAP: OnceLock<HashMap<&'static str, Role>> = OnceLock::new();
    MAP.get_or_init(|| {
        ROLES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| match l.split_once('\t') {
                Some((w, cat)) => (
                    w.trim(),
                    match cat.trim() {
                        "amb" => Role::AlsoSurname,
                        "demonym" => Role::Demonym,
                        _ => Role::Only,
                    },
                ),
                None => (l, Role::Only),
            })
            .collect()
    })
    .get(word)
    .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_role_nouns() {
        assert_eq!(role_noun("Bürgermeister"), Some(Role::Only));
        assert_eq!(role_noun("Koch"), Some(Role::AlsoSurname));
        assert_eq!(role_noun("Syrer"), Some(Role::Demonym));
        assert_eq!(role_noun("bürgermeister"), None);
        assert_eq!(role_noun("Anna"), None);
    }
}
