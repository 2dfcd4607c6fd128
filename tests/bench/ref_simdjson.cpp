// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark reference (not a test, not part of the plugin): what the fastest validating JSON
// parser there is does with the same saved page on the same machine, so section 1 of bench.sh
// has a yardstick beside its target. For each simdjson kernel this CPU can run (AVX-512,
// AVX2, SSE4.2, plain C), the best of ROUNDS runs of a DOM parse of the whole page (which
// validates all of it, UTF-8 included) and a read of the members the plugin keeps from every
// certificate. No evaluation, no jsmn: less than bench_parse does after the scan.
//   ref_simdjson FILE [ROUNDS]      (default 200; needs Debian's libsimdjson-dev)
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using namespace simdjson;

#define STR_(x) #x
#define STR(x)  STR_(x) /* SIMDJSON_VERSION is a bare 3.0.1 */

static const char *const kept[] = {"CertificateId", "Domain",      "Alias",    "Status",
                                   "CertBeginTime", "CertEndTime", "IsIgnore", "IsExpiring"};

// Bytes of the kept string members and entries, so the reads cannot be left out.
static size_t read_kept(dom::element doc)
{
	size_t sum = 0;
	dom::array certs;
	if (doc["Response"]["Certificates"].get(certs)) return 0;
	for (dom::element c : certs) {
		for (const char *name : kept) {
			dom::element v;
			std::string_view s;
			if (!c[name].get(v) && !v.get(s)) sum += s.size();
		}
		for (const char *list : {"SubjectAltName", "BoundResource"}) {
			dom::array a;
			if (c[list].get(a)) continue;
			for (dom::element e : a) {
				std::string_view s;
				if (!e.get(s)) sum += s.size();
			}
		}
		std::string_view rb;
		if (!c["CertificateExtra"]["ReplacedBy"].get(rb)) sum += rb.size();
	}
	return sum;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		std::fprintf(stderr, "usage: %s FILE [ROUNDS]\n", argv[0]);
		return 2;
	}
	long rounds = argc > 2 ? std::atol(argv[2]) : 200;
	padded_string page;
	if (padded_string::load(argv[1]).get(page) || rounds < 1) {
		std::fprintf(stderr, "ref_simdjson: cannot read %s or bad arguments\n", argv[1]);
		return 2;
	}
	for (const implementation *impl : get_available_implementations()) {
		if (!impl->supported_by_runtime_system()) continue;
		get_active_implementation() = impl;
		dom::parser parser;
		double best = 1e9;
		size_t sum = 0;
		for (long r = 0; r < rounds; r++) {
			auto t0 = std::chrono::steady_clock::now();
			dom::element doc;
			if (parser.parse(page).get(doc)) {
				std::fprintf(stderr, "ref_simdjson: %s: not valid JSON\n", argv[1]);
				return 1;
			}
			sum = read_kept(doc);
			std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
			if (dt.count() < best) best = dt.count();
		}
		std::printf("simdjson " STR(SIMDJSON_VERSION) " %-9s %-44s best of %ld: %.3f ms, %.0f MB/s (%zu bytes read)\n",
		            impl->name().c_str(), impl->description().c_str(),
		            rounds, best * 1e3, (double)page.size() / best / 1e6, sum);
	}
	return 0;
}
