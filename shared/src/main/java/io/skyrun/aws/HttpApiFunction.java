package io.skyrun.aws;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/**
 * The handler of the API functions (goals-api, runs-api): Micronaut's API Gateway HTTP API (payload 2.0)
 * function, with the application context built by {@link FunctionContextBuilder#lambda()}.
 */
public class HttpApiFunction extends APIGatewayV2HTTPEventFunction {
    public HttpApiFunction() {
    }

    /** Over a context built and started elsewhere (the tests). */
    public HttpApiFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContextBuilder.lambda();
    }
}
