package io.skyrun.testing;

import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;

/** Creates goals through the real request parser and service, for tests that need one. */
public final class Goals {
    private Goals() {
    }

    public static Goal create(GoalService service, GoalRequests requests, String json) {
        return service.create("default", requests.create(json));
    }
}
