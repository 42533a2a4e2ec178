// SPDX-License-Identifier: Apache-2.0
// The model codec on a typical order item: DynamoDB JSON parse and serialize, plain JSON.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "model/dynamo_json.h"
#include "order_sample.h"

namespace {

using namespace cartflow;

model::Item sample_item() {
  auto item = model::parse_item(bench::order_item_json());
  if (!item) std::abort();
  return std::move(item).value();
}

void BM_Codec_ParseItem(benchmark::State& state) {
  const std::string json = bench::order_item_json();
  for (auto _ : state) {
    auto item = model::parse_item(json);
    benchmark::DoNotOptimize(item);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_Codec_ParseItem);

void BM_Codec_SerializeItem(benchmark::State& state) {
  const model::Item item = sample_item();
  std::string out;
  for (auto _ : state) {
    out.clear();
    model::append_dynamo_json(out, item);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_Codec_SerializeItem);

void BM_Codec_PlainRoundTrip(benchmark::State& state) {
  const std::string plain = model::to_plain_json(sample_item());
  for (auto _ : state) {
    auto item = model::parse_plain_item(plain);
    benchmark::DoNotOptimize(item);
  }
}
BENCHMARK(BM_Codec_PlainRoundTrip);

}  // namespace
