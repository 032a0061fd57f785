/// A loop is also a task executor: with `HTTPServerConfiguration.handlersRunOnEventLoop`,
/// a request's task prefers its connection's loop, so a handler that does not suspend on
/// other executors runs start to finish on the loop thread — no thread hop, no wake-up.
/// Work on actors still runs on their executors; only the task's own code comes here.
extension EventLoop: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        post(.job(UnownedJob(job)))
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}
