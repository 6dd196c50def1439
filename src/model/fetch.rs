//! The Hugging Face Hub and its local cache: the only user of `hf-hub`.
//!
//! [`fetch`] downloads a model's three files into the standard cache
//! (`$HF_HOME/hub`, default `~/.cache/huggingface/hub`); only
//! `ampel model fetch` calls it. [`resolve`] turns a model spec into a
//! folder without any network access, so analysis never goes online.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use hf_hub::{Cache, Repo, RepoType};

use super::loader::REQUIRED_FILES;
use super::ModelError;

const DEFAULT_REVISION: &str = "main";

/// Download `config.json`, `tokenizer.json` and `model.safetensors` of a
/// Hub repository (`owner/name`, an optional `hf:` prefix is accepted) at
/// `revision` (default `main`) into the Hugging Face cache and return the
/// snapshot folder. Files already cached are not downloaded again.
pub fn fetch(repo: &str, revision: Option<&str>) -> Result<PathBuf, ModelError> {
    let repo = repo.strip_prefix("hf:").unwrap_or(repo);
    check_repo(repo).ok_or_else(|| ModelError::BadSpec(repo.to_string()))?;
    let revision = revision.unwrap_or(DEFAULT_REVISION);
    let err = |msg: String| ModelError::Fetch {
        repo: repo.to_string(),
        msg,
    };
    let api = hf_hub::api::sync::ApiBuilder::from_env()
        .with_progress(std::io::stderr().is_terminal())
        .build()
        .map_err(|e| err(e.to_string()))?;
    let api_repo = api.repo(Repo::with_revision(
        repo.to_string(),
        RepoType::Model,
        revision.to_string(),
    ));
    let mut folder: Option<PathBuf> = None;
    for file in REQUIRED_FILES {
        let path = api_repo
            .get(file)
            .map_err(|e| err(format!("{file}: {e}")))?;
        let parent = path.parent().map(Path::to_path_buf);
        match (&folder, parent) {
            (None, Some(p)) => folder = Some(p),
            (Some(f), Some(p)) if *f == p => {}
            _ => return Err(err(format!("{file} landed outside the snapshot folder"))),
        }
    }
    folder.ok_or_else(|| err("no files".into()))
}

/// Turn a model spec into a local folder without touching the network:
/// `hf:owner/name[@revision]` becomes its snapshot folder in the Hugging
/// Face cache (an error tells how to fetch it when it is not there); any
/// other string is taken as a folder path as is.
pub fn resolve(spec: &str) -> Result<PathBuf, ModelError> {
    resolve_in(&Cache::from_env(), spec)
}

/// [`resolve`] against an explicit cache.
pub(crate) fn resolve_in(cache: &Cache, spec: &str) -> Result<PathBuf, ModelError> {
    let Some(rest) = spec.trim().strip_prefix("hf:") else {
        return Ok(PathBuf::from(spec));
    };
    let (repo, revision) = match rest.split_once('@') {
        Some((r, rev)) if !rev.is_empty() => (r, rev),
        Some(_) => return Err(ModelError::BadSpec(spec.to_string())),
        None => (rest, DEFAULT_REVISION),
    };
    check_repo(repo).ok_or_else(|| ModelError::BadSpec(spec.to_string()))?;
    let not_cached = || ModelError::NotInCache {
        spec: spec.trim().to_string(),
    };
    let cache_repo = cache.repo(Repo::with_revision(
        repo.to_string(),
        RepoType::Model,
        revision.to_string(),
    ));
    let folder = match cache_repo.get(REQUIRED_FILES[0]) {
        Some(p) => p.parent().map(Path::to_path_buf).ok_or_else(not_cached)?,
        // A commit hash without a ref file: look for the snapshot directly.
        None => {
            let snap = cache_repo.pointer_path(revision);
            if revision.len() == 40
                && revision.bytes().all(|b| b.is_ascii_hexdigit())
                && snap.is_dir()
            {
                snap
            } else {
                return Err(not_cached());
            }
        }
    };
    if REQUIRED_FILES.iter().all(|f| folder.join(f).is_file()) {
        Ok(folder)
    } else {
        Err(not_cached())
    }
}

/// `owner/name` with the characters the Hub allows.
fn check_repo(repo: &str) -> Option<()> {
    let (owner, name) = repo.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (ok(owner) && ok(name)).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_snapshot(root: &Path, folder: &str, commit: &str, files: &[&str]) -> PathBuf {
        let repo = root.join(folder);
        let snap = repo.join("snapshots").join(commit);
        std::fs::create_dir_all(&snap).unwrap();
        std::fs::create_dir_all(repo.join("refs")).unwrap();
        std::fs::write(repo.join("refs").join("main"), commit).unwrap();
        for f in files {
            std::fs::write(snap.join(f), "{}").unwrap();
        }
        snap
    }

    #[test]
    fn resolves_cached_snapshots_offline() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().to_path_buf());
        let commit = "0123456789abcdef0123456789abcdef01234567";
        let snap = fake_snapshot(tmp.path(), "models--acme--ner", commit, &REQUIRED_FILES);
        assert_eq!(resolve_in(&cache, "hf:acme/ner").unwrap(), snap);
        assert_eq!(resolve_in(&cache, "hf:acme/ner@main").unwrap(), snap);
        assert_eq!(
            resolve_in(&cache, &format!("hf:acme/ner@{commit}")).unwrap(),
            snap
        );
        let e = resolve_in(&cache, "hf:acme/other@v2").unwrap_err();
        assert!(matches!(e, ModelError::NotInCache { .. }));
        assert!(
            e.to_string().contains("ampel model fetch hf:acme/other@v2"),
            "{e}"
        );
        assert!(matches!(
            resolve_in(&cache, "hf:noslash"),
            Err(ModelError::BadSpec(_))
        ));
        assert!(matches!(
            resolve_in(&cache, "hf:a/b@"),
            Err(ModelError::BadSpec(_))
        ));
        assert_eq!(
            resolve_in(&cache, "models/tiny").unwrap(),
            PathBuf::from("models/tiny")
        );
    }

    #[test]
    fn incomplete_snapshots_are_not_cached() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().to_path_buf());
        fake_snapshot(tmp.path(), "models--acme--half", "abc", &["config.json"]);
        assert!(matches!(
            resolve_in(&cache, "hf:acme/half"),
            Err(ModelError::NotInCache { .. })
        ));
    }
}
