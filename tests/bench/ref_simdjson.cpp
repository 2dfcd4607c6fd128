// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark reference (not a test, not part of the plugin): simdjson, the SIMD JSON parser,
// on the same saved page on the same machine, so section 1 of bench.sh has a reference point
// beside its target (not a bound: simdjson does other work than the plugin). For each
// simdjson kernel this CPU can run (AVX-512, AVX2, SSE4.2, plain C), the best of ROUNDS runs of
//   dom:      a DOM parse of the whole page (it validates all of it, UTF-8 included, and
//             writes every value to its tape), then a read of the members the plugin keeps;
//   ondemand: the On-Demand API walking every member of every certificate and reading the
//             kept ones (it validates the structure and UTF-8, not values it skips).
// No evaluation, no jsmn.
//   ref_simdjson FILE [ROUNDS]      (default 200; needs Debian's libsimdjson-dev)
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using namespace simdjson;

static const std::string_view kept[] = {"CertificateId", "Domain",      "Alias",    "Status",
                                        "CertBeginTime", "CertEndTime", "IsIgnore", "IsExpiring"};
static const std::string_view lists[] = {"SubjectAltName", "BoundResource"};

// Both return the bytes of the kept strings, so no read can be left out.
static size_t dom_read(dom::parser &parser, const padded_string &page)
{
	dom::element doc;
	dom::array certs;
	if (parser.parse(page).get(doc) || doc["Response"]["Certificates"].get(certs)) return 0;
	size_t sum = 0;
	for (dom::element c : certs) {
		std::string_view s;
		for (std::string_view name : kept)
			if (!c[name].get(s)) sum += s.size();
		for (std::string_view list : lists) {
			dom::array a;
			if (c[list].get(a)) continue;
			for (dom::element e : a)
				if (!e.get(s)) sum += s.size();
		}
		if (!c["CertificateExtra"]["ReplacedBy"].get(s)) sum += s.size();
	}
	return sum;
}

static size_t string_bytes(ondemand::value v)
{
	std::string_view s;
	return v.get_string().get(s) ? 0 : s.size();
}

static size_t ondemand_read(ondemand::parser &parser, const padded_string &page)
{
	ondemand::document doc;
	ondemand::array certs;
	if (parser.iterate(page).get(doc) || doc["Response"]["Certificates"].get_array().get(certs))
		return 0;
	size_t sum = 0;
	for (auto c : certs) {
		ondemand::object o;
		if (c.get_object().get(o)) return 0;
		for (auto field : o) {
			std::string_view k;
			ondemand::value v;
			if (field.unescaped_key().get(k) || field.value().get(v)) return 0;
			for (std::string_view name : kept)
				if (k == name) sum += string_bytes(v);
			for (std::string_view list : lists) {
				ondemand::array a;
				if (k != list || v.get_array().get(a)) continue;
				for (auto e : a) {
					ondemand::value ev;
					if (!e.get(ev)) sum += string_bytes(ev);
				}
			}
			if (k == "CertificateExtra") {
				ondemand::value rb;
				if (!v["ReplacedBy"].get(rb)) sum += string_bytes(rb);
			}
		}
	}
	return sum;
}

template <typename F>
static void row(const char *api, const implementation *impl, long rounds, size_t size, F run)
{
	double best = 1e9;
	size_t sum = 0;
	for (long r = 0; r < rounds; r++) {
		auto t0 = std::chrono::steady_clock::now();
		sum = run();
		std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
		if (dt.count() < best) best = dt.count();
	}
	std::printf("simdjson %d.%d.%d %-8s %-9s %-32s best of %ld: %.3f ms, %.0f MB/s (%zu bytes "
	            "read)\n",
	            SIMDJSON_VERSION_MAJOR, SIMDJSON_VERSION_MINOR, SIMDJSON_VERSION_REVISION, api,
	            impl->name().c_str(), impl->description().c_str(), rounds, best * 1e3,
	            (double)size / best / 1e6, sum);
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
		dom::parser dp;
		ondemand::parser op;
		if (!dom_read(dp, page) || dom_read(dp, page) != ondemand_read(op, page)) {
			std::fprintf(stderr, "ref_simdjson: %s: %s: not a page of certificates\n",
			             argv[1], impl->name().c_str());
			return 1;
		}
		row("dom", impl, rounds, page.size(), [&] { return dom_read(dp, page); });
		row("ondemand", impl, rounds, page.size(), [&] { return ondemand_read(op, page); });
	}
	return 0;
}
