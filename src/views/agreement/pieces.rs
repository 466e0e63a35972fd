//! A long output made in pieces on every core and taken in order on the calling thread,
//! with at most a few pieces made and not yet taken, so memory stays flat however long
//! the output is (the pair table's millions of rows).
//!
//! Each maker claims the next few items, makes its piece of them, and leaves it in the
//! place of its number; the caller takes the pieces by number as they are ready, and
//! makes pieces itself while the next is not, so that there are as many threads as cores
//! and none waits for the caller to be woken. Makers wait while the pieces made and not
//! yet taken are [`AHEAD_PER_MAKER`] per maker. No work-stealing is involved: a piece is
//! a long run of work, and idle pool threads spinning for more would take the cores the
//! pieces need.

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Pieces each maker may have claimed ahead of the caller.
const AHEAD_PER_MAKER: usize = 2;

/// What the makers and the caller share.
struct State<I, T> {
    items: I,
    /// no item is left to claim
    exhausted: bool,
    /// pieces claimed so far: the next piece's number
    claimed: usize,
    /// pieces taken so far: the number of the piece the caller waits for
    taken: usize,
    /// the pieces `taken..claimed`, each once it is made
    made: VecDeque<Option<T>>,
    /// the caller wants no more pieces
    stop: bool,
    /// a maker's panic, for the caller to resume
    panic: Option<Box<dyn Any + Send>>,
}

impl<I: Iterator, T> State<I, T> {
    /// Claims the next piece's items into `batch`: its number, or `None` when no item is
    /// left or the window of pieces ahead of the caller is full.
    fn claim(&mut self, batch: &mut Vec<I::Item>, per_piece: usize, ahead: usize) -> Option<usize> {
        if self.stop || self.exhausted || self.claimed - self.taken >= ahead {
            return None;
        }
        batch.clear();
        batch.extend(self.items.by_ref().take(per_piece));
        if batch.len() < per_piece {
            self.exhausted = true;
            if batch.is_empty() {
                return None;
            }
        }
        self.claimed += 1;
        self.made.push_back(None);
        Some(self.claimed - 1)
    }

    /// Leaves piece `number` in its place; whether it is the one the caller waits for.
    fn leave(&mut self, number: usize, piece: std::thread::Result<T>) -> bool {
        match piece {
            Ok(piece) => {
                let place = number - self.taken;
                self.made[place] = Some(piece);
                place == 0
            }
            Err(panic) => {
                self.panic = Some(panic);
                self.stop = true;
                true
            }
        }
    }
}

struct Shared<I, T> {
    state: Mutex<State<I, T>>,
    /// a piece was taken, or the caller is done: a maker may claim another, or end
    room: Condvar,
    /// the piece the caller waits for was made, the items ran out, or a maker panicked
    ready: Condvar,
}

impl<I, T> Shared<I, T> {
    fn lock(&self) -> MutexGuard<'_, State<I, T>> {
        // a maker's panic is caught before it could poison the lock
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Makes pieces of `per_piece` items of `items` with `make` on as many threads as the
/// rayon pool has (this one among them), and hands them to `take` in the items' order on
/// this thread; stops once `take` returns false. Each thread makes its pieces with a state
/// of its own, made by `init` (what a piece can reuse from the last). A panic in `make` is
/// resumed here.
pub fn in_order<I, W, T>(
    items: I,
    per_piece: usize,
    init: impl Fn() -> W + Sync,
    make: impl Fn(&mut W, &[I::Item]) -> T + Sync,
    take: impl FnMut(T) -> bool,
) where
    I: Iterator + Send,
    I::Item: Send,
    T: Send,
{
    let makers = rayon::current_num_threads().max(1);
    let ahead = AHEAD_PER_MAKER * makers;
    let shared = Shared {
        state: Mutex::new(State {
            items,
            exhausted: false,
            claimed: 0,
            taken: 0,
            made: VecDeque::with_capacity(ahead),
            stop: false,
            panic: None,
        }),
        room: Condvar::new(),
        ready: Condvar::new(),
    };
    let per_piece = per_piece.max(1);
    let caller = || take_in_order(&shared, per_piece, ahead, init(), &make, take);
    if rayon::current_thread_index().is_none() {
        // the pool's threads, whose memory is already theirs from loading the corpus
        rayon::in_place_scope(|scope| {
            for _ in 1..makers {
                scope.spawn(|_| work(&shared, per_piece, ahead, init(), &make));
            }
            caller();
        });
    } else {
        // on a thread of the pool, waiting for its own pool could wait for ever
        std::thread::scope(|scope| {
            for _ in 1..makers {
                scope.spawn(|| work(&shared, per_piece, ahead, init(), &make));
            }
            caller();
        });
    }
}

/// Tells the makers to end when the caller is done with the pieces, whether it took them
/// all, stopped, or panicked (the scope waits for the makers before it resumes a panic).
struct StopOnDrop<'a, I, T>(&'a Shared<I, T>);

impl<I, T> Drop for StopOnDrop<'_, I, T> {
    fn drop(&mut self) {
        self.0.lock().stop = true;
        self.0.room.notify_all();
    }
}

/// A maker: claims items, makes their piece, leaves it in its place, until no item is
/// left or the caller stops.
fn work<I: Iterator, W, T>(
    shared: &Shared<I, T>,
    per_piece: usize,
    ahead: usize,
    mut own: W,
    make: &(impl Fn(&mut W, &[I::Item]) -> T + Sync),
) {
    let mut batch = Vec::with_capacity(per_piece);
    loop {
        let number = {
            let mut state = shared.lock();
            loop {
                if let Some(number) = state.claim(&mut batch, per_piece, ahead) {
                    break number;
                }
                if state.stop || state.exhausted {
                    // the caller may be waiting for a piece no one will make
                    shared.ready.notify_one();
                    return;
                }
                state = shared
                    .room
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let piece = catch_unwind(AssertUnwindSafe(|| make(&mut own, &batch)));
        let mut state = shared.lock();
        let stop = piece.is_err();
        if state.leave(number, piece) {
            shared.ready.notify_one();
        }
        if stop {
            return;
        }
    }
}

/// The caller: takes the pieces in order as they are made, making pieces itself while
/// the next one is not made; until every piece is taken or `take` returns false.
fn take_in_order<I: Iterator, W, T>(
    shared: &Shared<I, T>,
    per_piece: usize,
    ahead: usize,
    mut own: W,
    make: &(impl Fn(&mut W, &[I::Item]) -> T + Sync),
    mut take: impl FnMut(T) -> bool,
) {
    let _stop = StopOnDrop(shared);
    let mut batch = Vec::with_capacity(per_piece);
    let mut state = shared.lock();
    loop {
        if let Some(panic) = state.panic.take() {
            drop(state);
            resume_unwind(panic);
        }
        if let Some(piece) = state.made.front_mut().and_then(Option::take) {
            state.made.pop_front();
            state.taken += 1;
            drop(state);
            shared.room.notify_one();
            if !take(piece) {
                return;
            }
        } else if let Some(number) = state.claim(&mut batch, per_piece, ahead) {
            drop(state);
            let piece = catch_unwind(AssertUnwindSafe(|| make(&mut own, &batch)));
            state = shared.lock();
            state.leave(number, piece);
            continue;
        } else if state.exhausted && state.made.is_empty() {
            return;
        } else {
            state = shared
                .ready
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        state = shared.lock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(items: usize, per_piece: usize) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        in_order(
            0..items,
            per_piece,
            || (),
            |(), batch| batch.to_vec(),
            |piece| {
                out.push(piece);
                true
            },
        );
        out
    }

    #[test]
    fn pieces_come_in_order_and_hold_every_item() {
        for (items, per_piece) in [(0, 3), (1, 3), (3, 3), (10, 3), (1000, 7), (5, 0)] {
            let pieces = collect(items, per_piece);
            let flat: Vec<usize> = pieces.iter().flatten().copied().collect();
            assert_eq!(
                flat,
                (0..items).collect::<Vec<_>>(),
                "{items} by {per_piece}"
            );
            let size = per_piece.max(1);
            assert_eq!(pieces.len(), items.div_ceil(size));
            assert!(pieces.iter().all(|p| !p.is_empty() && p.len() <= size));
        }
    }

    #[test]
    fn pieces_made_at_uneven_speeds_still_come_in_order() {
        let mut out = Vec::new();
        let make = |(): &mut (), batch: &[usize]| {
            if batch[0].is_multiple_of(3) {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            batch[0]
        };
        in_order(
            0..60,
            2,
            || (),
            make,
            |first| {
                out.push(first);
                true
            },
        );
        assert_eq!(out, (0..60).step_by(2).collect::<Vec<_>>());
    }

    #[test]
    fn taking_stops_when_asked_and_never_runs_far_ahead() {
        let made = std::sync::atomic::AtomicUsize::new(0);
        let mut taken = 0;
        in_order(
            0..100_000,
            10,
            || (),
            |(), batch| {
                made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                batch.len()
            },
            |_| {
                taken += 1;
                taken < 3
            },
        );
        assert_eq!(taken, 3);
        let makers = rayon::current_num_threads().max(1);
        let made = made.into_inner();
        // the taken, those waiting, and one in hand per worker
        assert!(made <= 3 + (AHEAD_PER_MAKER + 1) * makers, "{made}");
    }

    #[test]
    fn pieces_taken_on_a_thread_of_the_pool() {
        let pieces = rayon::scope(|_| collect(100, 7));
        assert_eq!(pieces.concat(), (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_in_taking_ends_the_makers() {
        let caught = catch_unwind(|| {
            in_order(0..100_000, 5, || (), |(), b| b[0], |first| first < 50);
            in_order(
                0..100_000,
                5,
                || (),
                |(), b| b[0],
                |first| {
                    assert!(first < 50, "taken 50");
                    true
                },
            )
        });
        assert!(caught.is_err());
    }

    #[test]
    fn a_panic_in_a_piece_reaches_the_caller() {
        let caught = catch_unwind(|| {
            in_order(
                0..100,
                5,
                || (),
                |(), batch| {
                    assert!(batch[0] != 50, "piece of 50");
                    batch[0]
                },
                |_| true,
            )
        });
        let message = caught.unwrap_err();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"piece of 50"));
    }
}
