"""A cold connect's prime, hop by hop, from packet timestamps (bin/trace-prime).

Usage: prime_hops.py DIR [PORT]
  DIR holds lab.json (`boxer lab up --json`) and fn1.pcap, fn2.pcap: tcpdump captures taken inside the lab hosts
  fn1 (the client, ConnectProbe under boxer run, warm port pool off) and fn2 (its server's host, listening on PORT,
  default 5000) during back-to-back connects. Both captures carry the one host clock (every network namespace
  shares it), so the steps of one prime line up across the two hosts:

  fn1: the previous connect's SYN-ACK in, its FIN out (the probe closed it), the mesh request out (the control
       link's TLS record toward fn2)
  fn2: that record in, the priming SYNs out (from PORT toward the client's port), the answer out
  fn1: the answer in, the application's SYN out, its SYN-ACK in

A prime is matched by the client's local port (the priming SYNs' destination is the application SYN's source: the
NAT profiles Boxer supports preserve ports). Prints a Markdown table of each step's p50, p90 and p99 in microseconds.
Exits 2 on a usage error, 1 when no prime could be matched.
"""
import bisect
import json
import re
import subprocess
import sys

LINE = re.compile(r'^(\d+\.\d+) \S+\s+(In|Out)\s+IP (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\].*length (\d+)')
STEPS = [
    'fn1: previous SYN-ACK in -> its FIN out (the probe: connect returns, close)',
    'fn1: that FIN out -> mesh request out (new socket, agent hook and IPC, node A, HTTP/2, TLS)',
    'wire fn1 -> fn2 (request)',
    'fn2: request in -> first priming SYN out (TLS, HTTP/2, protobuf, rate limits, policy, listener probe)',
    'fn2: the priming SYNs (first to last)',
    'fn2: last priming SYN -> answer out (answer built, HTTP/2, TLS, write)',
    'wire fn2 -> fn1 (answer)',
    'fn1: answer in -> application SYN out (node A, agent IPC, hook, kernel connect)',
    'application SYN out -> SYN-ACK in (both NATs, fn2\'s kernel)',
    'whole cycle, SYN-ACK to SYN-ACK',
]


def packets(pcap):
    out = subprocess.run(['tcpdump', '-r', pcap, '-n', '-tt'], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            t, way, src, sport, dst, dport, flags, length = m.groups()
            yield float(t), way, src, int(sport), dst, int(dport), flags, int(length)


def last_before(times, t):
    i = bisect.bisect_left(times, t) - 1
    return times[i] if i >= 0 else None


def first_after(times, t):
    i = bisect.bisect_right(times, t)
    return times[i] if i < len(times) else None


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main(argv):
    if len(argv) not in (2, 3):
        print('prime_hops.py: expected DIR [PORT], got %d arguments' % (len(argv) - 1), file=sys.stderr)
        return 2
    folder = argv[1]
    port = int(argv[2]) if len(argv) == 3 else 5000
    with open(folder + '/lab.json') as f:
        hosts = {h['name']: h for h in json.load(f)['hosts']}
    fn1_ext, fn2_ext = hosts['fn1']['externalAddress'], hosts['fn2']['externalAddress']
    a = list(packets(folder + '/fn1.pcap'))
    b = list(packets(folder + '/fn2.pcap'))
    # fn1: application SYNs (by source port) and SYN-ACKs; the control link's data segments each way
    app_syns = [(p[0], p[3]) for p in a if p[1] == 'Out' and p[6] == 'S' and p[4] == fn2_ext and p[5] == port]
    syn_acks = {p[5]: p[0] for p in a if p[1] == 'In' and p[6] == 'S.' and p[2] == fn2_ext and p[3] == port}
    fins = {p[3]: p[0] for p in a if p[1] == 'Out' and 'F' in p[6] and p[4] == fn2_ext and p[5] == port}
    a_out = [p[0] for p in a if p[1] == 'Out' and p[4] == fn2_ext and p[5] != port and p[7] > 0]
    a_in = [p[0] for p in a if p[1] == 'In' and p[2] == fn2_ext and p[3] != port and p[7] > 0]
    # fn2: priming SYNs (by the client's port they aim at); the control link's data segments each way
    primes = {}
    for p in b:
        if p[1] == 'Out' and p[6] == 'S' and p[3] == port and p[4] == fn1_ext:
            primes.setdefault(p[5], []).append(p[0])
    b_in = [p[0] for p in b if p[1] == 'In' and p[2] == fn1_ext and port not in (p[3], p[5]) and p[7] > 0]
    b_out = [p[0] for p in b if p[1] == 'Out' and p[4] == fn1_ext and port not in (p[3], p[5]) and p[7] > 0]
    samples = [[] for _ in STEPS]
    previous_syn_ack = previous_fin = None
    for app_syn, client_port in app_syns:
        syns, syn_ack = primes.get(client_port), syn_acks.get(client_port)
        answer_in = last_before(a_in, app_syn)
        request_out = last_before(a_out, answer_in) if answer_in else None
        request_in = last_before(b_in, syns[0]) if syns else None
        answer_out = first_after(b_out, syns[-1]) if syns else None
        times = (previous_syn_ack, previous_fin, request_out, request_in, answer_out, answer_in, syn_ack)
        if None not in times and previous_syn_ack < previous_fin < request_out < answer_in < app_syn:
            steps = (previous_fin - previous_syn_ack, request_out - previous_fin, request_in - request_out,
                     syns[0] - request_in, syns[-1] - syns[0], answer_out - syns[-1], answer_in - answer_out, app_syn - answer_in,
                     syn_ack - app_syn, syn_ack - previous_syn_ack)
            for values, step in zip(samples, steps):
                values.append(step * 1e6)
        previous_syn_ack, previous_fin = syn_ack, fins.get(client_port)
    if not samples[0]:
        print('prime_hops.py: no prime matched in %s (%d application SYNs)' % (folder, len(app_syns)), file=sys.stderr)
        return 1
    print('%d of %d connects matched to their prime; microseconds' % (len(samples[0]), len(app_syns)))
    print()
    table(samples)
    # A JVM compiles its hot code over the first thousand or so primes: the first connects of a run are slower
    # than the rest. The second half shows the path once compiled; the whole run includes the warm-up.
    half = len(samples[0]) // 2
    print()
    print('Second half only (the last %d connects: the path compiled by the JIT, as in a long-running service):'
          % (len(samples[0]) - half))
    print()
    table([values[half:] for values in samples])
    return 0


def table(samples):
    print('| step | p50 | p90 | p99 |')
    print('|---|---|---|---|')
    for name, values in zip(STEPS, samples):
        values = sorted(values)
        print('| %s | %.0f | %.0f | %.0f |' % (name, percentile(values, .5), percentile(values, .9),
                                              percentile(values, .99)))


if __name__ == '__main__':
    sys.exit(main(sys.argv))
