//! Reading a data file whole, gunzipping it when it is gzipped.

use std::io::Read;
use std::path::Path;

use super::error::DataError;

/// The gzip magic bytes (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The most bytes a gzipped data file may decompress to: 4 GiB (MNIST's training images are
/// 47 MB). A gzip stream can expand ~1000-fold, so without a cap a 10 MB file could ask for
/// 10 GB; past the cap reading stops with an error, having held at most the cap.
pub const MAX_DECOMPRESSED_BYTES: u64 = 4 << 30;

/// The bytes of `path`, decompressed when the name ends in `.gz` or the content starts with
/// the gzip magic. The decompressed size is what the stream holds, never what a header inside
/// it claims.
pub(super) fn read_bytes(path: &Path) -> Result<Vec<u8>, DataError> {
    read_bytes_within(path, MAX_DECOMPRESSED_BYTES)
}

/// [`read_bytes`] with a cap on the decompressed size (a parameter so tests can use a small one).
fn read_bytes_within(path: &Path, max_decompressed: u64) -> Result<Vec<u8>, DataError> {
    let raw = std::fs::read(path).map_err(|source| DataError::File {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let named_gz = path.extension().is_some_and(|ext| ext == "gz");
    if !(named_gz || raw.starts_with(&GZIP_MAGIC)) {
        return Ok(raw);
    }
    // `MultiGzDecoder`: files made by concatenating gzip members (`cat a.gz b.gz`) read whole.
    let cap = usize::try_from(max_decompressed).unwrap_or(usize::MAX);
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(cap));
    // One byte past the cap tells a stream of exactly the cap from a longer one.
    flate2::read::MultiGzDecoder::new(raw.as_slice())
        .take(max_decompressed.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|source| DataError::File {
            action: "decompress",
            path: path.to_path_buf(),
            source,
        })?;
    if out.len() as u64 > max_decompressed {
        return Err(DataError::File {
            action: "decompress",
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "it decompresses to more than {max_decompressed} bytes \
                     (`data::MAX_DECOMPRESSED_BYTES`); decompress it yourself if it is genuine"
                ),
            ),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::read_bytes;

    #[test]
    fn gzipped_and_plain_files_read_the_same_bytes() -> Result<(), Box<dyn std::error::Error>> {
        let dir = std::env::temp_dir().join(format!("minitrainer-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let plain = dir.join("a.bin");
        std::fs::write(&plain, b"hello, data")?;
        // Gzipped under a name without `.gz`: found by its magic bytes.
        let gz = dir.join("a.bin.data");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b"hello, data")?;
        std::fs::write(&gz, encoder.finish()?)?;
        assert_eq!(read_bytes(&plain)?, read_bytes(&gz)?);
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }

    #[test]
    fn a_stream_past_the_decompressed_cap_is_refused_naming_the_cap() -> std::io::Result<()> {
        let dir =
            std::env::temp_dir().join(format!("minitrainer-file-bomb-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("bomb.csv.gz");
        // 1 MB of zeros compresses to about 1 KB.
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![0u8; 1 << 20])?;
        std::fs::write(&path, encoder.finish()?)?;
        let message = super::read_bytes_within(&path, 1000)
            .unwrap_err()
            .to_string();
        assert!(message.contains("more than 1000 bytes"), "{message}");
        assert!(message.contains("bomb.csv.gz"), "{message}");
        // Exactly at the cap reads.
        assert_eq!(
            super::read_bytes_within(&path, 1 << 20)
                .map(|b| b.len())
                .ok(),
            Some(1 << 20)
        );
        std::fs::remove_dir_all(&dir)
    }

    #[test]
    fn a_corrupt_gzip_stream_names_the_file() {
        let dir = std::env::temp_dir().join(format!("minitrainer-file-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let path = dir.join("broken.csv.gz");
        std::fs::write(&path, [0x1f, 0x8b, 8, 0, 1, 2, 3]).expect("write");
        let message = read_bytes(&path).unwrap_err().to_string();
        assert!(message.starts_with("cannot decompress `"), "{message}");
        assert!(message.contains("broken.csv.gz"), "{message}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
