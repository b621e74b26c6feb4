package io.skyrun.queue;

/** Port that hands a stored pending run to a worker: the in-process worker locally, SQS on AWS. */
public interface RunQueue {
    /** Queues the run for execution. The run must already be stored as pending. */
    void enqueue(String runId);
}
