//! Reading a model folder: `config.json`, `tokenizer.json` and
//! `model.safetensors` from local disk, with a precise error for each way
//! this can fail. Also works out the model's name and revision (hub
//! snapshot commit, or a content hash of the weights) and the special
//! tokens the tokenizer wraps every sequence in. Never touches the network.

use std::path::{Path, PathBuf};

use candle_core::Device;
use sha2::{Digest, Sha256};
use tokenizers::Tokenizer;

use super::config::ModelConfig;
use super::encoder::TokenClassifier;
use super::ModelError;

/// The three files a model folder must hold.
pub const REQUIRED_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Everything read from a model folder.
pub(crate) struct Loaded {
    pub config: ModelConfig,
    pub tokenizer: Tokenizer,
    pub network: TokenClassifier,
    pub specials: Specials,
    pub name: String,
    pub revision: String,
}

/// Special token ids around each window (`[CLS] … [SEP]`, `<s> … </s>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Specials {
    pub prefix: Vec<u32>,
    pub suffix: Vec<u32>,
    /// Replacement for ids the embedding matrix does not have.
    pub unk: u32,
}

impl Specials {
    pub(crate) fn len(&self) -> usize {
        self.prefix.len() + self.suffix.len()
    }
}

pub(crate) fn load(dir: &Path, device: &Device) -> Result<Loaded, ModelError> {
    if !dir.is_dir() {
        return Err(ModelError::NotFound(dir.to_path_buf()));
    }
    let [config_path, tok_path, weights_path] = REQUIRED_FILES.map(|f| dir.join(f));
    for p in [&config_path, &tok_path, &weights_path] {
        if !p.is_file() {
            return Err(ModelError::MissingFile(p.clone()));
        }
    }
    let io = |path: &PathBuf| {
        let path = path.clone();
        move |source| ModelError::Io { path, source }
    };

    let text = std::fs::read_to_string(&config_path).map_err(io(&config_path))?;
    let config = ModelConfig::parse(&config_path, &text)?;

    let tokenizer = load_tokenizer(&tok_path)?;
    let specials = specials(&tokenizer, &config, &tok_path)?;

    let bytes = std::fs::read(&weights_path).map_err(io(&weights_path))?;
    let (name, hub_revision) = hub_identity(dir);
    let revision = match hub_revision {
        Some(r) => r,
        None => {
            let digest = Sha256::digest(&bytes);
            digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
        }
    };
    let tensors = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu).map_err(|e| {
        ModelError::Weights {
            path: weights_path.clone(),
            msg: e.to_string(),
        }
    })?;
    drop(bytes);
    let network = TokenClassifier::load(tensors, &config, device, &weights_path)?;
    Ok(Loaded {
        config,
        tokenizer,
        network,
        specials,
        name,
        revision,
    })
}

fn load_tokenizer(path: &Path) -> Result<Tokenizer, ModelError> {
    let bad = |msg: String| ModelError::Tokenizer {
        path: path.to_path_buf(),
        msg,
    };
    let mut tok = Tokenizer::from_file(path).map_err(|e| bad(e.to_string()))?;
    // Windows are cut by the runtime, not by the tokenizer's own settings.
    tok.with_truncation(None).map_err(|e| bad(e.to_string()))?;
    tok.with_padding(None);
    Ok(tok)
}

/// Learn the special tokens by encoding a probe with and without them; fall
/// back to the conventional tokens of the architecture.
fn specials(tok: &Tokenizer, cfg: &ModelConfig, path: &Path) -> Result<Specials, ModelError> {
    let bad = |msg: String| ModelError::Tokenizer {
        path: path.to_path_buf(),
        msg,
    };
    let enc = tok.encode("a", true).map_err(|e| bad(e.to_string()))?;
    let mask = enc.get_special_tokens_mask();
    let ids = enc.get_ids();
    let unk = ["[UNK]", "<unk>"]
        .iter()
        .find_map(|t| tok.token_to_id(t))
        .unwrap_or(cfg.pad_token_id);
    let mut out = Specials {
        unk,
        ..Specials::default()
    };
    if let (Some(first), Some(last)) = (
        mask.iter().position(|&m| m == 0),
        mask.iter().rposition(|&m| m == 0),
    ) {
        out.prefix = ids.get(..first).unwrap_or_default().to_vec();
        out.suffix = ids.get(last + 1..).unwrap_or_default().to_vec();
    }
    if out.len() == 0 {
        let pair = [("[CLS]", "[SEP]"), ("<s>", "</s>")]
            .iter()
            .find_map(|(a, b)| Some((tok.token_to_id(a)?, tok.token_to_id(b)?)));
        if let Some((a, b)) = pair {
            out.prefix = vec![a];
            out.suffix = vec![b];
        }
    }
    if out.len() + 1 > cfg.max_len() {
        return Err(bad(format!(
            "{} special tokens leave no room in a window of {}",
            out.len(),
            cfg.max_len()
        )));
    }
    if let Some(&id) = out
        .prefix
        .iter()
        .chain(&out.suffix)
        .find(|&&id| id as usize >= cfg.vocab_size)
    {
        return Err(bad(format!(
            "special token id {id} is outside the model's vocabulary of {}",
            cfg.vocab_size
        )));
    }
    Ok(out)
}

/// `(name, revision)`: inside a Hugging Face cache snapshot
/// (`…/models--owner--name/snapshots/<commit>`) the repo id and the first
/// 12 characters of the commit; otherwise the folder name and no revision.
fn hub_identity(dir: &Path) -> (String, Option<String>) {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let file_name = |p: &Path| p.file_name().map(|s| s.to_string_lossy().into_owned());
    let folder = file_name(&dir).unwrap_or_else(|| dir.display().to_string());
    let parent = dir.parent();
    let grand = parent.and_then(Path::parent);
    if let (Some(p), Some(g)) = (parent, grand) {
        if file_name(p).as_deref() == Some("snapshots") {
            if let Some(repo) = file_name(g)
                .as_deref()
                .and_then(|g| g.strip_prefix("models--"))
            {
                let commit: String = folder.chars().take(12).collect();
                return (repo.replace("--", "/"), Some(commit));
            }
        }
    }
    (folder, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_snapshot_folders_name_the_repo() {
        let p = Path::new("/nonexistent/hub/models--acme--ner-de/snapshots/0123456789abcdef0123");
        assert_eq!(
            hub_identity(p),
            ("acme/ner-de".to_string(), Some("0123456789ab".to_string()))
        );
        assert_eq!(
            hub_identity(Path::new("/x/tiny-model")),
            ("tiny-model".to_string(), None)
        );
    }
}
