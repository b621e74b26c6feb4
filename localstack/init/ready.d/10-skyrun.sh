#!/usr/bin/env bash
# LocalStack "ready" hook: creates what infra-cdk's SkyrunStack deploys, as far as LocalStack emulates it,
# under the names and settings the functions read. The model, mail and tool settings come from the SKYRUN_*
# variables docker-compose.yml passes in (offline model, no mail, no search by default). LocalStack runs it on every start; it is safe to run
# again by hand after building the jars:
#
#   docker compose exec localstack /etc/localstack/init/ready.d/10-skyrun.sh
#
# infra-cdk's LocalStackFilesTest compares the table, queues, bucket, functions, environments and routes below
# with the code and the CDK stack, so change them there first.
set -euo pipefail

export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
REGION="$AWS_DEFAULT_REGION"
TABLE="${SKYRUN_TABLE:-skyrun}"
RULE_PREFIX="skyrun-"
# SkyrunStack's bucket construct "files"; on AWS the name is generated, here it is fixed.
FILES_BUCKET="skyrun-files"
# docker-compose.yml mounts ../functions here, read-only.
JAR_ROOT="${JAR_ROOT:-/opt/skyrun/functions}"
# The functions run in their own containers; this name resolves to LocalStack from there as well as from
# the host, and LocalStack hands out queue URLs on it.
ENDPOINT="http://localhost.localstack.cloud:4566"

log() {
    echo "[skyrun-init] $*"
}

ACCOUNT="$(awslocal sts get-caller-identity --query Account --output text)"

# ---- DynamoDB: the single table, as SkyrunStack.table() and DynamoTable.createIfMissing() make it ----------

create_table() {
    if awslocal dynamodb describe-table --table-name "$TABLE" >/dev/null 2>&1; then
        log "table $TABLE exists"
        return
    fi
    awslocal dynamodb create-table \
        --table-name "$TABLE" \
        --billing-mode PAY_PER_REQUEST \
        --attribute-definitions \
            AttributeName=PK,AttributeType=S \
            AttributeName=SK,AttributeType=S \
            AttributeName=GSI1PK,AttributeType=S \
            AttributeName=GSI1SK,AttributeType=S \
            AttributeName=GSI2PK,AttributeType=S \
            AttributeName=GSI2SK,AttributeType=S \
            AttributeName=GSI3PK,AttributeType=S \
            AttributeName=GSI3SK,AttributeType=S \
        --key-schema AttributeName=PK,KeyType=HASH AttributeName=SK,KeyType=RANGE \
        --global-secondary-indexes \
            'IndexName=GSI1,KeySchema=[{AttributeName=GSI1PK,KeyType=HASH},{AttributeName=GSI1SK,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
            'IndexName=GSI2,KeySchema=[{AttributeName=GSI2PK,KeyType=HASH},{AttributeName=GSI2SK,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
            'IndexName=GSI3,KeySchema=[{AttributeName=GSI3PK,KeyType=HASH},{AttributeName=GSI3SK,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
        >/dev/null
    awslocal dynamodb wait table-exists --table-name "$TABLE"
    # Fire-ledger items expire by TTL; without it they would pile up in a long-lived LocalStack volume.
    awslocal dynamodb update-time-to-live \
        --table-name "$TABLE" \
        --time-to-live-specification Enabled=true,AttributeName=expiresAt \
        >/dev/null
    log "created table $TABLE"
}

# ---- SQS: run queue with its DLQ, and the DLQ of the EventBridge rule targets ------------------------------

queue_arn() {
    awslocal sqs get-queue-attributes --queue-url "$1" --attribute-names QueueArn \
        --query Attributes.QueueArn --output text
}

create_queues() {
    # 14 days, as the CDK stack keeps dead letters.
    RUN_DLQ_URL="$(awslocal sqs create-queue --queue-name skyrun-run-dlq \
        --attributes MessageRetentionPeriod=1209600 \
        --query QueueUrl --output text)"
    RUN_DLQ_ARN="$(queue_arn "$RUN_DLQ_URL")"
    # Visibility 30 min = 6 x the worker's 5-minute timeout, so a slow run is not redelivered mid-flight;
    # after 5 receives the worker gives the run up and SQS moves the message to the DLQ.
    RUN_QUEUE_URL="$(awslocal sqs create-queue --queue-name skyrun-run-queue \
        --attributes "VisibilityTimeout=1800,RedrivePolicy='{\"deadLetterTargetArn\":\"${RUN_DLQ_ARN}\",\"maxReceiveCount\":\"5\"}'" \
        --query QueueUrl --output text)"
    RUN_QUEUE_ARN="$(queue_arn "$RUN_QUEUE_URL")"
    SCHEDULE_DLQ_URL="$(awslocal sqs create-queue --queue-name skyrun-schedule-dlq \
        --attributes MessageRetentionPeriod=1209600 \
        --query QueueUrl --output text)"
    SCHEDULE_DLQ_ARN="$(queue_arn "$SCHEDULE_DLQ_URL")"
    log "queues ready: $RUN_QUEUE_URL (DLQ $RUN_DLQ_URL), $SCHEDULE_DLQ_URL"
}

# ---- S3: the bucket of run output files (<owner>/<goal>/<run>/<name>), as SkyrunStack.filesBucket() makes it ---
# LocalStack does not enforce the stack's TLS-only bucket policy, so it is left out.

create_bucket() {
    if awslocal s3api head-bucket --bucket "$FILES_BUCKET" >/dev/null 2>&1; then
        log "bucket $FILES_BUCKET exists"
        return
    fi
    if [[ $REGION == us-east-1 ]]; then
        awslocal s3api create-bucket --bucket "$FILES_BUCKET" >/dev/null
    else
        awslocal s3api create-bucket --bucket "$FILES_BUCKET" \
            --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
    fi
    awslocal s3api put-public-access-block --bucket "$FILES_BUCKET" \
        --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true \
        >/dev/null
    awslocal s3api put-bucket-encryption --bucket "$FILES_BUCKET" \
        --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}' \
        >/dev/null
    log "created bucket $FILES_BUCKET"
}

# ---- Lambda -------------------------------------------------------------------------------------------------

# name|handler|memory MB|timeout s|extra environments: SkyrunStack's handlers, sizes and timeouts, and the
# arrays of set_environments each function gets on top of common_env.
FUNCTIONS=(
    "goals-api|io.skyrun.aws.HttpApiFunction|1024|15|api_env app_env goals_env"
    "runs-api|io.skyrun.aws.HttpApiFunction|1024|15|api_env app_env"
    "run-worker|io.skyrun.worker.RunWorkerHandler::handleRequest|1024|300|app_env worker_env"
    "schedule-trigger|io.skyrun.trigger.ScheduleTriggerHandler::handleRequest|512|30|"
)

function_arn() {
    echo "arn:aws:lambda:${REGION}:${ACCOUNT}:function:$1"
}

set_environments() {
    # What every function gets in SkyrunStack.environment(), with LocalStack's names for the resources.
    common_env=(
        "SKYRUN_STORAGE=dynamodb"
        "SKYRUN_TABLE=${TABLE}"
        "SKYRUN_QUEUE=sqs"
        "SKYRUN_QUEUE_URL=${RUN_QUEUE_URL}"
        "SKYRUN_SCHEDULER=eventbridge"
        "SKYRUN_EVENT_BUS=default"
        "SKYRUN_RULE_PREFIX=${RULE_PREFIX}"
        "SKYRUN_SCHEDULE_DLQ_ARN=${SCHEDULE_DLQ_ARN}"
        "SKYRUN_FILES=s3"
        "SKYRUN_FILES_BUCKET=${FILES_BUCKET}"
        "JAVA_TOOL_OPTIONS=-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
        "AWS_ENDPOINT_URL=${ENDPOINT}"
        # skyrun.aws.s3-endpoint: path-style requests, which LocalStack's S3 answers on any host name
        "SKYRUN_AWS_S3_ENDPOINT=${ENDPOINT}"
    )
    # Only the API functions create schedule rules, so only they learn the trigger's ARN (as in the stack).
    # No SnapStart here, hence no live alias: the rules invoke the function itself.
    api_env=(
        "SKYRUN_SCHEDULE_TARGET_ARN=$(function_arn schedule-trigger)"
    )
    # Model and mail settings without secrets (SkyrunStack.appEnvironment): goals-api, runs-api and run-worker.
    app_env=(
        "SKYRUN_MODEL_PROVIDER=${SKYRUN_MODEL_PROVIDER:-offline}"
        "SKYRUN_MODEL_NAME=${SKYRUN_MODEL_NAME:-}"
        "SKYRUN_MODEL_BASE_URL=${SKYRUN_MODEL_BASE_URL:-}"
        "SKYRUN_EMAIL=${SKYRUN_EMAIL:-none}"
        "SKYRUN_EMAIL_FROM=${SKYRUN_EMAIL_FROM:-}"
        "SKYRUN_EMAIL_ALLOWED_RECIPIENTS=${SKYRUN_EMAIL_ALLOWED_RECIPIENTS:-}"
        "SKYRUN_SMTP_HOST=${SKYRUN_SMTP_HOST:-}"
    )
    # goals-api answers /health/ready, which checks that a keyed provider has its key.
    goals_env=(
        "SKYRUN_MODEL_API_KEY=${SKYRUN_MODEL_API_KEY:-}"
    )
    # What only the worker uses (SkyrunStack.workerEnvironment), plus STARTTLS for a local relay such as Mailpit.
    worker_env=(
        "SKYRUN_MODEL_API_KEY=${SKYRUN_MODEL_API_KEY:-}"
        "SKYRUN_SMTP_PORT=${SKYRUN_SMTP_PORT:-587}"
        "SKYRUN_SMTP_USER=${SKYRUN_SMTP_USER:-}"
        "SKYRUN_SMTP_PASSWORD=${SKYRUN_SMTP_PASSWORD:-}"
        "SKYRUN_SMTP_STARTTLS=${SKYRUN_SMTP_STARTTLS:-true}"
        "SKYRUN_SEARCH_PROVIDER=${SKYRUN_SEARCH_PROVIDER:-none}"
        "SKYRUN_SEARCH_URL=${SKYRUN_SEARCH_URL:-}"
        "SKYRUN_SEARCH_API_KEY=${SKYRUN_SEARCH_API_KEY:-}"
        "SKYRUN_HTTP_TOOL_ALLOWED_HOSTS=${SKYRUN_HTTP_TOOL_ALLOWED_HOSTS:-}"
    )
}

# KEY=VALUE pairs -> the JSON of --environment; the values here must carry no quotes or backslashes (keys and
# passwords passed through docker-compose.yml included).
environment_json() {
    local json="" pair
    for pair in "$@"; do
        json+="${json:+,}\"${pair%%=*}\":\"${pair#*=}\""
    done
    printf '{"Variables":{%s}}' "$json"
}

create_role() {
    # LocalStack does not enforce IAM by default; the role only has to exist for create-function.
    if ! awslocal iam get-role --role-name skyrun-lambda >/dev/null 2>&1; then
        awslocal iam create-role --role-name skyrun-lambda \
            --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
            >/dev/null
    fi
    ROLE_ARN="arn:aws:iam::${ACCOUNT}:role/skyrun-lambda"
}

deploy_function() {
    local name=$1 handler=$2 memory=$3 timeout=$4 extra=$5
    local jar="${JAR_ROOT}/${name}/target/${name}.jar"
    local env=("${common_env[@]}") array words
    for array in $extra; do
        words="${array}[@]"
        env+=("${!words}")
    done
    local environment
    environment="$(environment_json "${env[@]}")"
    # Updating rather than deleting keeps the event source mapping and permissions of an earlier run.
    if awslocal lambda get-function --function-name "$name" >/dev/null 2>&1; then
        awslocal lambda update-function-code --function-name "$name" --zip-file "fileb://${jar}" >/dev/null
        awslocal lambda wait function-updated-v2 --function-name "$name"
        awslocal lambda update-function-configuration --function-name "$name" \
            --runtime java21 --handler "$handler" --memory-size "$memory" --timeout "$timeout" \
            --environment "$environment" >/dev/null
        awslocal lambda wait function-updated-v2 --function-name "$name"
        log "updated function $name"
    else
        awslocal lambda create-function --function-name "$name" \
            --runtime java21 --handler "$handler" --memory-size "$memory" --timeout "$timeout" \
            --role "$ROLE_ARN" --zip-file "fileb://${jar}" \
            --environment "$environment" >/dev/null
        awslocal lambda wait function-active-v2 --function-name "$name"
        log "created function $name"
    fi
}

map_run_queue_to_worker() {
    local mappings
    mappings="$(awslocal lambda list-event-source-mappings --function-name run-worker \
        --event-source-arn "$RUN_QUEUE_ARN" --query 'length(EventSourceMappings)' --output text)"
    if [[ $mappings == 0 ]]; then
        # Partial batch failures keep one poison message from redelivering its four neighbours.
        awslocal lambda create-event-source-mapping --function-name run-worker \
            --event-source-arn "$RUN_QUEUE_ARN" \
            --function-response-types ReportBatchItemFailures --batch-size 5 \
            >/dev/null
    fi
}

allow_rules_to_invoke_trigger() {
    # One wildcard permission, as in the stack, so goals-api never needs lambda:AddPermission per rule.
    awslocal lambda remove-permission --function-name schedule-trigger \
        --statement-id invoke-from-skyrun-rules >/dev/null 2>&1 || true
    awslocal lambda add-permission --function-name schedule-trigger \
        --statement-id invoke-from-skyrun-rules \
        --action lambda:InvokeFunction --principal events.amazonaws.com \
        --source-arn "arn:aws:events:${REGION}:${ACCOUNT}:rule/${RULE_PREFIX}*" \
        >/dev/null
}

# ---- HTTP API (API Gateway v2) --------------------------------------------------------------------------------

api_integration() {
    awslocal apigatewayv2 create-integration --api-id "$API_ID" \
        --integration-type AWS_PROXY --integration-uri "$(function_arn "$1")" \
        --payload-format-version 2.0 \
        --query IntegrationId --output text
}

api_route() {
    awslocal apigatewayv2 create-route --api-id "$API_ID" --route-key "$1" --target "integrations/$2" >/dev/null
}

create_http_api() {
    # HTTP APIs need LocalStack Pro (image localstack/localstack-pro with LOCALSTACK_AUTH_TOKEN, and
    # apigateway in SERVICES); the community image refuses the call. Use `sam local start-api` there.
    if ! awslocal apigatewayv2 get-apis >/dev/null 2>&1; then
        API_URL=""
        log "no HTTP API: API Gateway v2 needs LocalStack Pro; serve the API with 'sam local start-api' (see localstack/README.md)"
        return
    fi
    local old
    old="$(awslocal apigatewayv2 get-apis --query "Items[?Name=='skyrun'].ApiId | [0]" --output text)"
    if [[ -n $old && $old != None ]]; then
        awslocal apigatewayv2 delete-api --api-id "$old"
    fi
    API_ID="$(awslocal apigatewayv2 create-api --name skyrun --protocol-type HTTP \
        --cors-configuration '{"AllowOrigins":["*"],"AllowMethods":["GET","POST","PATCH","DELETE","OPTIONS"],"AllowHeaders":["content-type"]}' \
        --query ApiId --output text)"
    local goals runs
    goals="$(api_integration goals-api)"
    runs="$(api_integration runs-api)"
    api_route 'ANY /api/v1/goals' "$goals"
    api_route 'ANY /api/v1/goals/{proxy+}' "$goals"
    api_route 'ANY /api/v1/runs' "$runs"
    api_route 'ANY /api/v1/runs/{proxy+}' "$runs"
    api_route 'GET /health' "$goals"
    api_route 'GET /health/ready' "$goals"
    awslocal apigatewayv2 create-stage --api-id "$API_ID" --stage-name '$default' --auto-deploy >/dev/null
    local name
    for name in goals-api runs-api; do
        awslocal lambda add-permission --function-name "$name" --statement-id "invoke-from-http-api-${API_ID}" \
            --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
            --source-arn "arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/*" >/dev/null
    done
    API_URL="http://${API_ID}.execute-api.localhost.localstack.cloud:4566"
}

# ---- main -------------------------------------------------------------------------------------------------------

summary() {
    log "region $REGION, account $ACCOUNT"
    log "table            $TABLE"
    log "run queue        $RUN_QUEUE_URL"
    log "run DLQ          $RUN_DLQ_URL"
    log "schedule DLQ     $SCHEDULE_DLQ_URL"
    log "files bucket     s3://$FILES_BUCKET"
    log "model            ${SKYRUN_MODEL_PROVIDER:-offline}${SKYRUN_MODEL_NAME:+ ($SKYRUN_MODEL_NAME)}, email ${SKYRUN_EMAIL:-none}, search ${SKYRUN_SEARCH_PROVIDER:-none}"
    log "endpoint         http://localhost.localstack.cloud:4566 (or http://127.0.0.1:4566)"
    if [[ -n ${API_URL:-} ]]; then
        log "HTTP API         $API_URL  (try: curl $API_URL/health/ready)"
    else
        log "HTTP API         none here; 'sam local start-api' in localstack/ serves http://127.0.0.1:3000"
    fi
}

create_table
create_queues
create_bucket

missing=()
for spec in "${FUNCTIONS[@]}"; do
    name="${spec%%|*}"
    [[ -f "${JAR_ROOT}/${name}/target/${name}.jar" ]] || missing+=("$name")
done
if (( ${#missing[@]} > 0 )); then
    log "no Lambda functions: missing jars for ${missing[*]} under ${JAR_ROOT}"
    log "build them with 'mvn -B -DskipTests package' at the repository root, then run again:"
    log "  docker compose exec localstack /etc/localstack/init/ready.d/10-skyrun.sh"
    summary
    exit 0
fi

create_role
set_environments
for spec in "${FUNCTIONS[@]}"; do
    IFS='|' read -r name handler memory timeout extra <<<"$spec"
    deploy_function "$name" "$handler" "$memory" "$timeout" "$extra"
done
map_run_queue_to_worker
allow_rules_to_invoke_trigger
create_http_api

summary
for spec in "${FUNCTIONS[@]}"; do
    log "function         $(function_arn "${spec%%|*}")"
done
