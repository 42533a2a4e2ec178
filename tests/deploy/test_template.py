# SPDX-License-Identifier: Apache-2.0
"""The SAM template: cfn-lint passes, aws-sam-translator transforms it, and the settings that
`cartflow serve` applies locally (deploy/event-source-mappings.json) equal the template's."""
import glob
import json
import os
import re
import subprocess
import sys
import unittest

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATE = os.path.join(ROOT, "deploy", "template.yaml")
LOCAL = os.path.join(ROOT, "deploy", "event-source-mappings.json")


def load_template():
    with open(TEMPLATE, encoding="utf-8") as f:
        return yaml_parse(f.read())


class PolicyLoader:
    def load(self):
        return {}


class TemplateTest(unittest.TestCase):
    def test_cfn_lint_passes(self):
        result = subprocess.run(["cfn-lint", TEMPLATE], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_sam_translator_transforms_packaged_template(self):
        template = load_template()
        # `sam package` replaces local CodeUri paths with S3 locations; do the same.
        template["Globals"]["Function"]["CodeUri"] = "s3://bucket/cartflow.zip"
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        out = transform(template, {}, PolicyLoader())
        types = [r["Type"] for r in out["Resources"].values()]
        self.assertEqual(types.count("AWS::Lambda::Function"), 3)
        self.assertEqual(types.count("AWS::Lambda::EventSourceMapping"), 2)
        self.assertIn("AWS::ApiGateway::UsagePlan", types)
        self.assertIn("AWS::ApiGateway::ApiKey", types)

    def test_local_mapping_settings_equal_the_template(self):
        resources = load_template()["Resources"]
        with open(LOCAL, encoding="utf-8") as f:
            local = json.load(f)
        stream = resources["ProcessCartProductsFunction"]["Properties"]["Events"]["OrderStream"]
        queue = resources["UpdateCartStatusFunction"]["Properties"]["Events"]["OrderQueue"]
        for name, event, handler_resource in (
            ("OrderStream", stream, "ProcessCartProductsFunction"),
            ("OrderQueue", queue, "UpdateCartStatusFunction"),
        ):
            expected = dict(local[name])
            handler = expected.pop("FunctionName")
            self.assertEqual(resources[handler_resource]["Properties"]["Handler"], handler)
            props = {k: v for k, v in event["Properties"].items()
                     if k not in ("Stream", "Queue", "DestinationConfig")}
            self.assertEqual(props, expected, name)
        q = resources["UpdateCartProductsSQS"]["Properties"]
        self.assertEqual(q["VisibilityTimeout"], local["Queue"]["VisibilityTimeout"])
        self.assertEqual(q["MessageRetentionPeriod"], local["Queue"]["MessageRetentionPeriod"])
        self.assertEqual(q["RedrivePolicy"]["maxReceiveCount"], local["Queue"]["maxReceiveCount"])
        dlq = resources["UpdateCartProductsDLQ"]["Properties"]
        self.assertEqual(dlq["MessageRetentionPeriod"],
                         local["DeadLetterQueue"]["MessageRetentionPeriod"])
        # The queue's visibility timeout is at least six times the function timeout.
        timeout = load_template()["Globals"]["Function"]["Timeout"]
        self.assertGreaterEqual(q["VisibilityTimeout"], 6 * timeout)

    def test_handlers_are_the_ones_the_binary_serves(self):
        resources = load_template()["Resources"]
        handlers = sorted(r["Properties"]["Handler"] for r in resources.values()
                          if r["Type"] == "AWS::Serverless::Function")
        self.assertEqual(handlers, ["api", "process-cart-products", "update-cart-status"])
        env = load_template()["Globals"]["Function"]["Environment"]["Variables"]
        self.assertIn("TABLE_NAME", env)
        self.assertIn("UPDATE_CART_PRODUCT_SQS", env)

    def test_environment_is_what_the_code_reads(self):
        env = load_template()["Globals"]["Function"]["Environment"]["Variables"]
        code = ""
        for path in glob.glob(os.path.join(ROOT, "apps", "cartflow", "*.cpp")):
            with open(path, encoding="utf-8") as f:
                code += f.read()
        for name in env:
            self.assertIn('"%s"' % name, code, "the template sets %s but no code reads it" % name)

    def test_table_permissions_are_exactly_what_each_handler_calls(self):
        # Table port call -> the IAM actions it needs (TransactWriteItems is authorized per
        # contained action; the api handler's transactions put, update, delete and check).
        needs = {"get": {"GetItem"}, "put": {"PutItem"}, "update": {"UpdateItem"},
                 "remove": {"DeleteItem"}, "query": {"Query"}, "batch_get": {"BatchGetItem"},
                 "batch_write": {"BatchWriteItem"},
                 "transact_write": {"PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"}}
        sources = {"ApiFunction": ["api_*.cpp", "catalog.cpp"],
                   "UpdateCartStatusFunction": ["update_cart_status*.cpp"]}
        resources = load_template()["Resources"]
        for function, patterns in sources.items():
            called = set()
            for pattern in patterns:
                for path in glob.glob(os.path.join(ROOT, "src", "functions", pattern)):
                    with open(path, encoding="utf-8") as f:
                        for op in re.findall(r"\btable_?\.(\w+)\(", f.read()):
                            called |= needs.get(op, set())
            granted = set()
            for policy in resources[function]["Properties"]["Policies"]:
                self.assertIsInstance(policy, dict)
                self.assertNotIn("DynamoDBCrudPolicy", policy, function)
                for statement in policy.get("Statement", []):
                    for action in statement["Action"]:
                        self.assertTrue(action.startswith("dynamodb:") and "*" not in action, action)
                        granted.add(action.split(":", 1)[1])
            self.assertEqual(granted, called, function)

    def test_outputs_name_the_resources_cartflow_stack_outputs_reads(self):
        # `cartflow ... --backend aws --stack-outputs FILE` reads these keys of describe-stacks
        # (apps/cartflow/aws_args.cpp); a renamed output would silently fall back to defaults.
        outputs = load_template()["Outputs"]
        expected = {"TableName": "EcommerceAppTable", "QueueUrl": "UpdateCartProductsSQS",
                    "StreamFailureQueueUrl": "OrderStreamFailureQueue",
                    "ApiKeysTableName": "ApiKeysTable", "LeasesTableName": "LeasesTable"}
        with open(os.path.join(ROOT, "apps", "cartflow", "aws_args.cpp"), encoding="utf-8") as f:
            reader = f.read()
        for key, resource in expected.items():
            self.assertEqual(outputs[key]["Value"], {"Ref": resource}, key)
            self.assertIn('"%s"' % key, reader, key)

    def test_default_architecture_is_the_one_cartflow_zip_is_built_for(self):
        # CodeUri is build/lambda/cartflow.zip, a copy of the LAMBDA_ARCH package: the template's
        # default, samconfig.toml's override and the packaging script's default must agree, or
        # the functions would fail to start (exec format error).
        template_default = load_template()["Parameters"]["Architecture"]["Default"]
        with open(os.path.join(ROOT, "deploy", "samconfig.toml"), encoding="utf-8") as f:
            samconfig = re.search(r"Architecture=(\w+)", f.read()).group(1)
        with open(os.path.join(ROOT, "scripts", "package-lambda.sh"), encoding="utf-8") as f:
            script = re.search(r"LAMBDA_ARCH=\$\{LAMBDA_ARCH:-(\w+)\}", f.read()).group(1)
        self.assertEqual({template_default, samconfig, script}, {"arm64"})

    def test_cors_origin_reaches_the_function_and_preflights_need_no_key(self):
        # CorsAllowOrigin is the function's CORS_ALLOW_ORIGIN (read by `cartflow lambda`) and the
        # API's CORS origin; the OPTIONS methods the transform adds require no API key.
        template = load_template()
        api = template["Resources"]["EcommerceRESTAPI"]["Properties"]
        function = template["Resources"]["ApiFunction"]["Properties"]
        self.assertEqual(function["Environment"]["Variables"]["CORS_ALLOW_ORIGIN"],
                         {"Ref": "CorsAllowOrigin"})
        with open(os.path.join(ROOT, "apps", "cartflow", "lambda_command.cpp"), encoding="utf-8") as f:
            self.assertIn('"CORS_ALLOW_ORIGIN"', f.read())
        self.assertEqual(api["Cors"]["AllowOrigin"], {"Fn::Sub": "'${CorsAllowOrigin}'"})
        template["Globals"]["Function"]["CodeUri"] = "s3://bucket/cartflow.zip"
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        out = transform(template, {}, PolicyLoader())
        rest = next(r for r in out["Resources"].values() if r["Type"] == "AWS::ApiGateway::RestApi")
        paths = rest["Properties"]["Body"]["paths"]
        for path, methods in paths.items():
            self.assertIn("options", methods, path)
            self.assertFalse(methods["options"].get("security"), path)
        self.assertTrue(paths["/products"]["get"].get("security"), "GET /products needs a key")


if __name__ == "__main__":
    unittest.main(verbosity=2)
