package io.skyrun.webhooks;

import java.util.List;

/** Storage port for webhook delivery records; they go with their run. */
public interface DeliveryRepository {
    void add(DeliveryRecord record);

    /** The run's delivery attempts, oldest first. */
    List<DeliveryRecord> list(String ownerId, String runId);
}
