//! Memory: workers never hold more than `prefetch` batches beyond the one the consumer holds.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use minitrainer::data::{DataLoader, Dataset};

use super::TestResult;

/// Counts live samples: created by `get`, gone when their batch is dropped.
struct Counted {
    live: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

struct Token(Arc<AtomicUsize>);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Dataset for Counted {
    type Item = Token;
    type Error = std::convert::Infallible;
    fn len(&self) -> usize {
        400
    }
    fn get(&self, _index: usize) -> Result<Token, Self::Error> {
        let live = self.live.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(live, Ordering::SeqCst);
        Ok(Token(Arc::clone(&self.live)))
    }
}

#[test]
fn workers_stay_within_the_prefetch_bound() -> TestResult {
    let (live, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let set = Counted {
        live: Arc::clone(&live),
        peak: Arc::clone(&peak),
    };
    let keep = |tokens: Vec<Token>| Ok::<_, std::convert::Infallible>(tokens);
    let loader = DataLoader::with_collate(set, keep)
        .batch_size(4)
        .num_workers(3)
        .prefetch(2)
        .build()?;
    let mut batches = 0;
    for batch in &loader {
        // The consumer holds one batch; the workers may have at most `prefetch` more.
        assert!(live.load(Ordering::SeqCst) <= (2 + 1) * 4);
        drop(batch?);
        batches += 1;
    }
    assert_eq!(batches, 100);
    assert!(
        peak.load(Ordering::SeqCst) <= (2 + 1) * 4,
        "peak {}",
        peak.load(Ordering::SeqCst)
    );
    assert_eq!(live.load(Ordering::SeqCst), 0);
    Ok(())
}
