//! A small task runner for the end of a run: the graph files are made, and the files
//! synced, on the threads the run was given.

/// A piece of work for [`in_parallel`].
pub(crate) type Task<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Runs `tasks` on up to `threads` threads, the calling one and threads of rayon's
/// global pool, and returns their results in the order of `tasks`. Each thread takes
/// the next task as soon as it is free, so `tasks` should come heaviest first.
///
/// The global pool's threads are warm (their allocator arenas already hold memory),
/// where a pool built for the call would start cold threads, which would pay for
/// their first allocations while making the graph files.
pub(crate) fn in_parallel<T: Send>(tasks: Vec<Task<'_, T>>, threads: usize) -> Vec<T> {
    let helpers = threads.min(tasks.len()).saturating_sub(1);
    if helpers == 0 {
        return tasks.into_iter().map(|task| task()).collect();
    }
    let count = tasks.len();
    let queue = std::sync::Mutex::new(tasks.into_iter().enumerate());
    let done = std::sync::Mutex::new(Vec::with_capacity(count));
    let work = || {
        loop {
            let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((index, task)) = next else { break };
            let result = task();
            done.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((index, result));
        }
    };
    rayon::in_place_scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(|_| work());
        }
        work();
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable_by_key(|&(index, _)| index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come back in the order of the tasks, whichever thread ran each and
    /// whichever finished first.
    #[test]
    fn parallel_tasks_keep_their_order() {
        for threads in [1, 2, 3, 8] {
            let tasks: Vec<Task<'_, usize>> = (0..7)
                .map(|i| -> Task<'_, usize> {
                    Box::new(move || {
                        std::thread::sleep(std::time::Duration::from_millis(7 - i as u64));
                        i * 10
                    })
                })
                .collect();
            assert_eq!(
                in_parallel(tasks, threads),
                [0, 10, 20, 30, 40, 50, 60],
                "{threads} threads"
            );
        }
    }
}
