#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark peer (not a test): the same job as check_tencentcloud_ssl with its defaults, done
// through the official Tencent Cloud Node.js SDK (tencentcloud-sdk-nodejs 4.1.x), against the
// mock API (tests/mock_api.py). tests/bench/bench.sh installs the SDK outside the repository
// and runs this with NODE_PATH pointing at it.
//
// It is meant as a fair, minimal equivalent of the plugin, not a straw man: one SslClient,
// DescribeCertificates with Offset/Limit 1000 until TotalCount, then the remaining pages with
// at most 4 requests in flight (the plugin's --parallel default; --sequential = one at a time),
// days left = floor((CertEndTime as Beijing time - now) / 86400 s), the plugin's default
// selection (Status 1 or 3, not IsIgnore, no CertificateExtra.ReplacedBy) and thresholds
// (-w 30 -c 7: expired or < 7 d CRITICAL, < 30 d WARNING, no valid end time UNKNOWN), and one
// summary line naming the 5 soonest non-OK certificates. It has no rate limit, no retries, no
// deadline, no long output and no output cap, which only favours it.
//
// Usage: node peer_node.js --port PORT [--sequential]
// Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY. Exit code as the plugin's:
// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also on any error).
"use strict";

const http = require("http");
const net = require("net");

const PAGE = 1000;
const PARALLEL = 4;
const WARN_DAYS = 30;
const CRIT_DAYS = 7;
const BEIJING = 8 * 3600;
const STATES = ["OK", "WARNING", "CRITICAL", "UNKNOWN"];
// Rank for sorting, as the plugin's: CRITICAL > UNKNOWN > WARNING > OK.
const RANK = { 0: 0, 1: 1, 3: 2, 2: 3 };

function die(msg) {
	process.stdout.write("NODE_SDK UNKNOWN - " + msg + "\n");
	process.exit(3);
}

function parseArgs(argv) {
	const o = { port: 0, parallel: PARALLEL };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === "--port" && i + 1 < argv.length)
			o.port = Number(argv[++i]);
		else if (argv[i] === "--sequential")
			o.parallel = 1;
		else
			die("usage: node peer_node.js --port PORT [--sequential]");
	}
	if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)
		die("--port PORT is required");
	return o;
}

// "YYYY-MM-DD HH:MM:SS" in Beijing time -> epoch seconds, or null when not a valid time.
function beijingEpoch(s) {
	if (typeof s !== "string")
		return null;
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
	if (!m)
		return null;
	const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return null;
	return Date.UTC(y, mo - 1, d, h, mi, se) / 1000 - BEIJING;
}

async function listAll(client, parallel) {
	const first = await client.DescribeCertificates({ Offset: 0, Limit: PAGE });
	if (!Array.isArray(first.Certificates))
		throw new Error("response has no certificate list");
	const total = first.TotalCount;
	const pages = [first.Certificates];
	if (typeof total !== "number" || first.Certificates.length >= total)
		return { total, certs: first.Certificates };
	const offsets = [];
	for (let off = PAGE; off < total; off += PAGE)
		offsets.push(off);
	// A small worker pool: at most `parallel` requests in flight, results kept in order.
	let next = 0;
	async function worker() {
		while (next < offsets.length) {
			const idx = next++;
			const r = await client.DescribeCertificates({ Offset: offsets[idx], Limit: PAGE });
			if (!Array.isArray(r.Certificates))
				throw new Error("response has no certificate list");
			if (r.TotalCount !== total)
				throw new Error("TotalCount changed during the listing");
			pages[idx + 1] = r.Certificates;
		}
	}
	const workers = [];
	for (let i = 0; i < Math.min(parallel, offsets.length); i++)
		workers.push(worker());
	await Promise.all(workers);
	const certs = [].concat(...pages);
	if (certs.length !== total)
		throw new Error("listed " + certs.length + " of TotalCount " + total);
	return { total, certs };
}

async function main() {
	const opt = parseArgs(process.argv.slice(2));
	const id = process.env.TENCENTCLOUD_SECRET_ID;
	const key = process.env.TENCENTCLOUD_SECRET_KEY;
	if (!id || !key)
		die("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are needed");

	let SslClient;
	try {
		SslClient = require("tencentcloud-sdk-nodejs/tencentcloud/services/ssl").ssl.v20191205
			.Client;
	} catch (e) {
		die("cannot load tencentcloud-sdk-nodejs: " + e.message);
	}

	// Two quirks of the SDK decide how it reaches the mock. It takes the signing service name
	// from the endpoint's first label (endpoint.split(".")[0]), so "127.0.0.1:PORT" would sign
	// for service "127"; and it signs the URL's hostname without the port while sending
	// "Host: host:port", so any endpoint with a port fails verification (the real service is on
	// 443, where the two agree). So the endpoint is "ssl.localhost" on the default port, and the
	// agent connects every socket to the mock's port on 127.0.0.1 instead, like an /etc/hosts
	// entry plus a port forward: the requests are exactly what the SDK sends to
	// ssl.tencentcloudapi.com over http. keepAlive: true is Node's default agent since Node 19.
	const agent = new http.Agent({ keepAlive: true });
	agent.createConnection = (o, cb) =>
		net.createConnection({ host: "127.0.0.1", port: opt.port }, cb);
	const client = new SslClient({
		credential: { secretId: id, secretKey: key },
		region: "",
		profile: {
			httpProfile: {
				endpoint: "ssl.localhost",
				protocol: "http://",
				agent,
			},
		},
	});

	const t0 = Date.now();
	let listing;
	try {
		listing = await listAll(client, opt.parallel);
	} catch (e) {
		die((e.code ? "API error " + e.code + ": " : "") + e.message);
	}
	const fetchTime = (Date.now() - t0) / 1000;
	agent.destroy();

	const now = Date.now() / 1000;
	const counts = [0, 0, 0, 0];
	const bad = [];
	let selected = 0;
	for (const c of listing.certs) {
		if (c.Status !== 1 && c.Status !== 3)
			continue;
		if (c.IsIgnore === true)
			continue;
		const extra = c.CertificateExtra;
		if (extra && typeof extra.ReplacedBy === "string" && extra.ReplacedBy !== "")
			continue;
		selected++;
		const end = beijingEpoch(c.CertEndTime);
		let state;
		let days = null;
		if (end === null) {
			state = 3;
		} else {
			days = Math.floor((end - now) / 86400);
			if (end <= now || days < CRIT_DAYS)
				state = 2;
			else if (days < WARN_DAYS)
				state = 1;
			else
				state = 0;
		}
		counts[state]++;
		if (state !== 0)
			bad.push({ state, days, domain: c.Domain, id: c.CertificateId });
	}
	bad.sort((a, b) => RANK[b.state] - RANK[a.state] ||
		(a.days === null) - (b.days === null) || a.days - b.days);

	let worst = 0;
	for (const s of [1, 3, 2])
		if (counts[s] > 0)
			worst = s;
	const parts = [];
	if (counts[2]) parts.push(counts[2] + " critical");
	if (counts[1]) parts.push(counts[1] + " warning");
	if (counts[3]) parts.push(counts[3] + " unknown");
	let line = "NODE_SDK " + STATES[worst] + " - " + parts.concat(counts[0] + " ok").join(", ") +
		" of " + selected + " certificates";
	if (bad.length) {
		line += ": " + bad.slice(0, 5).map((b) => b.domain + " (id " + b.id + ") " +
			(b.days === null ? "has no valid end time" : b.days < 0 ?
				"expired " + -b.days + " d ago" : "expires in " + b.days + " d")).join(", ");
		if (bad.length > 5)
			line += ", and " + (bad.length - 5) + " more";
	}
	line += " | certificates=" + selected + " ok=" + counts[0] + " warning=" + counts[1] +
		" critical=" + counts[2] + " unknown=" + counts[3] + " listed=" + listing.certs.length +
		" fetch_time=" + fetchTime.toFixed(3) + "s";
	process.stdout.write(line + "\n");
	process.exitCode = worst;
}

main().catch((e) => die(String(e && e.message || e)));
