//! Atomic file replacement: write a temporary sibling, flush it to disk, rename it over the
//! target.
//!
//! `rename` within one directory is atomic on POSIX and on Windows (MoveFileEx with
//! REPLACE_EXISTING), so a reader sees either the old file or the new one, never half of one.
//! The temporary file lives in the target's directory because a rename across file systems
//! is a copy, not atomic. Alternatives rejected: the `tempfile` crate (a dependency for ~20
//! lines), and writing in place (a crash leaves a truncated file).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::IoError;

/// Called after the temporary file is complete and synced, right before it is renamed. Tests
/// use it to simulate a crash at the worst moment; production passes [`no_hook`].
pub(crate) type BeforeRename<'a> = &'a mut dyn FnMut(&Path) -> std::io::Result<()>;

pub(crate) fn no_hook(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Replaces `path` by `bytes` atomically.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let temp = write_temp(path, bytes)?;
    commit(&temp, path, &mut no_hook)
}

/// Writes `bytes` to a fresh temporary sibling of `path` and syncs it; returns its path.
/// On error the temporary file is removed.
pub(crate) fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf, IoError> {
    let temp = temp_path(path);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|source| IoError::file("create", &temp, source))?;
        file.write_all(bytes)
            .map_err(|source| IoError::file("write", &temp, source))?;
        // Without this, a power loss after the rename can leave an empty file under the new
        // name: the rename may reach the disk before the data does.
        file.sync_all()
            .map_err(|source| IoError::file("sync", &temp, source))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map(|()| temp)
}

/// Renames the complete temporary file over `path`, after `before_rename`. On error the
/// temporary file is removed and `path` keeps its previous content.
pub(crate) fn commit(
    temp: &Path,
    path: &Path,
    before_rename: BeforeRename<'_>,
) -> Result<(), IoError> {
    let result = before_rename(temp)
        .and_then(|()| std::fs::rename(temp, path))
        .map_err(|source| IoError::file("rename", temp, source));
    if result.is_err() {
        let _ = std::fs::remove_file(temp);
        return result;
    }
    sync_parent(path);
    Ok(())
}

/// Makes the rename itself durable. Best effort: some platforms cannot open a directory,
/// and the data is already safe under one of the two names.
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
}

/// `dir/.name.tmp.<pid>.<n>`: hidden, unique within this process and across processes.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp.{}.{unique}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("minitrainer-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("test scratch dir");
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .expect("readable scratch dir")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_atomic_replaces_the_file() -> Result<(), IoError> {
        let dir = scratch_dir("replace");
        let path = dir.join("data.bin");
        write_atomic(&path, b"old")?;
        write_atomic(&path, b"new")?;
        assert_eq!(std::fs::read(&path).expect("written"), b"new");
        assert_eq!(
            entries(&dir),
            vec!["data.bin"],
            "no temporary file left behind"
        );
        Ok(())
    }

    #[test]
    fn failure_before_rename_keeps_the_previous_file_and_cleans_up() -> Result<(), IoError> {
        let dir = scratch_dir("failpoint");
        let path = dir.join("data.bin");
        write_atomic(&path, b"previous")?;

        let temp = write_temp(&path, b"half-finished new content")?;
        let mut seen = None;
        let mut crash = |temp: &Path| {
            seen = Some(std::fs::read(temp)?);
            Err(std::io::Error::other("simulated crash"))
        };
        let error = commit(&temp, &path, &mut crash).expect_err("the hook fails the commit");
        assert!(error.to_string().contains("simulated crash"), "{error}");
        assert_eq!(
            seen.as_deref(),
            Some(&b"half-finished new content"[..]),
            "temp was complete"
        );
        assert_eq!(std::fs::read(&path).expect("kept"), b"previous");
        assert_eq!(entries(&dir), vec!["data.bin"]);
        Ok(())
    }

    #[test]
    fn unwritable_directory_is_an_error_naming_the_file() {
        let path = Path::new("/nonexistent-minitrainer-dir/data.bin");
        let error = write_atomic(path, b"x").expect_err("no such directory");
        assert!(
            error.to_string().contains("nonexistent-minitrainer-dir"),
            "{error}"
        );
    }
}
