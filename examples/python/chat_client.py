#!/usr/bin/env python3
"""A chat client in Python, on Google's protobuf runtime.

Connects, prints the id the server assigned (or why it refused), then sends every line typed:
plain text goes to everyone (to = -1), "@ID text" to one user, "/quit" leaves. A reader thread
prints incoming messages while you type. With input piped in, it sends every line and exits once
the echoes of all of them arrived, so scripts can use it.

The message classes come from the project's own chat.proto: on every start the client runs protoc
into a fresh private folder, imports the module from there, and removes the folder when it exits.
See docs/PROTOCOL.md for the wire protocol.
"""

import argparse
import atexit
import importlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading

try:
    from google.protobuf.internal import decoder, encoder
    from google.protobuf.message import DecodeError
except ImportError:  # said plainly, with the install command, before anything else runs
    decoder = encoder = None
    DecodeError = ValueError

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROTO = os.path.join(HERE, "..", "..", "src", "Chat.Protocol", "chat.proto")

EVERYONE = -1
# A length prefix is a varint of at most 5 bytes whose value fits 32 bits (PROTOCOL.md, framing).
MAX_PREFIX_LENGTH = 5
# The server's default limit on what clients send is 64 KiB; frames it sends may carry a few more
# bytes (the `from` it stamps), so accept a little more than that.
MAX_INCOMING_FRAME_LENGTH = 64 * 1024 + 64
# How long, after the last line, the client waits for the echoes it is owed before it gives up.
ECHO_WAIT_SECONDS = 10.0

# How the client ends; the README's table, and the same codes as the .NET console client.
EXIT_OK = 0  # you left (end of input or /quit) and every line you sent came back as its echo
EXIT_REFUSED = 1  # the server refused the connection in its handshake
EXIT_USAGE = 2  # the command line cannot be used, or a piece is missing (protobuf, protoc, chat.proto)
EXIT_CONNECTION = 3  # no connection or handshake, a protocol error, a lost connection, missing echoes
EXIT_INTERRUPTED = 130  # Ctrl+C, as for any program stopped by SIGINT

APT_HINT = "apt-get install -y python3-protobuf protobuf-compiler"

# Text from the network is printed through this table (see `visible`): every control character
# (C0, DEL, C1) and every character that reorders text or breaks the line (bidirectional overrides,
# embeddings, isolates and marks, line and paragraph separators) becomes a visible escape, and a
# backslash is doubled so that an escape on screen always stands for the character. The .NET
# console client (src/Chat.Client/TerminalText.cs) escapes the same characters the same way.
_NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0)]
_INVISIBLE = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), 0x2028, 0x2029, *range(0x2066, 0x206A)]
VISIBLE_ESCAPES = {
    **{code: f"\\x{code:02x}" for code in _CONTROLS},
    **{code: f"\\u{code:04x}" for code in _INVISIBLE},
    **{ord(character): escape for character, escape in _NAMED_ESCAPES.items()},
}


class ProtocolError(Exception):
    """The server sent bytes that are not a frame this client accepts."""


def give_up(code, text):
    """Ends the program: one line on standard error that says why, and the exit code for it."""
    print(text, file=sys.stderr, flush=True)
    sys.exit(code)


def load_messages(proto_path):
    """Returns the chat_pb2 module, generated from proto_path for this run only.

    The module is code that Python runs, so it comes only from a folder this run made for itself
    (tempfile.mkdtemp: new, private to this user, mode 0700) and is put first on the import path.
    A fixed shared folder would run whatever another local user planted there first."""
    if encoder is None:
        give_up(EXIT_USAGE, f"the Python module google.protobuf is missing for {sys.executable}: install it for "
                f"Debian's Python ({APT_HINT}) and run this script with /usr/bin/python3, "
                "or give this Python the module (pip install protobuf)")
    proto_path = os.path.abspath(proto_path)
    if not os.path.isfile(proto_path):
        give_up(EXIT_USAGE, f"cannot find chat.proto at {proto_path}; pass --proto PATH")
    out_dir = tempfile.mkdtemp(prefix="chat-proto-")
    atexit.register(shutil.rmtree, out_dir, ignore_errors=True)
    generate(proto_path, out_dir)
    sys.path.insert(0, out_dir)
    return importlib.import_module("chat_pb2")


def generate(proto_path, out_dir):
    """Runs protoc to write chat_pb2.py into out_dir."""
    protoc = shutil.which("protoc")
    if protoc is None:
        give_up(EXIT_USAGE, f"protoc (the protobuf compiler) is not on PATH; install it ({APT_HINT})")
    command = [protoc, f"--proto_path={os.path.dirname(proto_path)}", f"--python_out={out_dir}",
               os.path.basename(proto_path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        give_up(EXIT_USAGE, f"protoc failed on {proto_path}: {result.stderr.strip()}")


def encode_frame(message):
    """One length-delimited frame: the body's length as a varint, then the body."""
    body = message.SerializeToString()
    return encoder._VarintBytes(len(body)) + body


def read_frame(stream):
    """The next frame's body from a binary stream, or None when the server closed cleanly.

    Reads the varint prefix a byte at a time (at most 5 bytes, at most 32 bits), decodes it with
    protobuf's own varint decoder, checks it against the limit before reading the body, then reads
    exactly that many bytes."""
    prefix = bytearray()
    while True:
        byte = stream.read(1)
        if not byte:
            if prefix:
                raise ProtocolError("the connection closed in the middle of a length prefix")
            return None
        prefix += byte
        if byte[0] < 0x80:
            break
        if len(prefix) == MAX_PREFIX_LENGTH:
            raise ProtocolError("frame length prefix is longer than 5 bytes")
    if len(prefix) == MAX_PREFIX_LENGTH and prefix[-1] > 0x0F:
        raise ProtocolError("frame length prefix does not fit in 32 bits")
    length, _ = decoder._DecodeVarint32(bytes(prefix), 0)
    if length > MAX_INCOMING_FRAME_LENGTH:
        raise ProtocolError(f"frame length {length} is over the limit of {MAX_INCOMING_FRAME_LENGTH} bytes")
    body = stream.read(length)
    if len(body) < length:
        raise ProtocolError("the connection closed in the middle of a frame")
    return body


def parse(message_class, body):
    """The frame body as a message_class, or ProtocolError when it is not one."""
    try:
        return message_class.FromString(body)
    except (DecodeError, UnicodeDecodeError) as error:
        raise ProtocolError(f"frame body is not a valid {message_class.DESCRIPTOR.name}: {error}") from error


def parse_line(line):
    """What one typed line asks for: ("quit",), ("send", to, text), ("nothing",) or ("error", why)."""
    trimmed = line.strip()
    if not trimmed:
        return ("nothing",)
    if trimmed in ("/quit", "/exit"):
        return ("quit",)
    if not trimmed.startswith("@"):
        return ("send", EVERYONE, line)
    id_text, _, text = trimmed[1:].partition(" ")
    try:
        to = int(id_text)
    except ValueError:
        return ("error", f"'{id_text}' is not a user id; write @ID text")
    return ("send", to, text)


def visible(text):
    """Text from the network, safe to print: one line, no terminal commands (see VISIBLE_ESCAPES)."""
    return text.translate(VISIBLE_ESCAPES)


def describe(message, own_id):
    """How an incoming message looks on the screen, as the C# console client shows it: one line,
    whose text can neither command the terminal nor pass for a notice from the server."""
    sender = getattr(message, "from")  # `from` is a Python keyword, so not message.from
    if sender == 0:
        return f"* server: {visible(message.msg)}"
    to = "all" if message.to == EVERYONE else "me" if message.to in (own_id, 0) else str(message.to)
    return f"[{'me' if sender == own_id else sender} -> {to}] {visible(message.msg)}"


class Session:
    """One accepted connection: the main thread sends, a reader thread prints what arrives and
    counts the echoes (messages whose `from` is our own id)."""

    def __init__(self, sock, stream, own_id, messages):
        self.sock = sock
        self.stream = stream
        self.id = own_id
        self.messages = messages
        self.changed = threading.Condition()
        self.echoes = 0
        self.ended = False
        self.leaving = False
        self.failed = False
        self.print_lock = threading.Lock()

    def say(self, text, to=sys.stdout):
        with self.print_lock:
            print(text, file=to, flush=True)

    def receive_loop(self):
        try:
            while (body := read_frame(self.stream)) is not None:
                message = parse(self.messages.ChatMessage, body)
                self.say(describe(message, self.id))
                if getattr(message, "from") == self.id:
                    with self.changed:
                        self.echoes += 1
                        self.changed.notify_all()
            if not self.leaving:
                # The main thread may be blocked reading the terminal; it stops at the next line.
                hint = " (press Enter to leave)" if sys.stdin.isatty() else ""
                self.say(f"* the server closed the connection{hint}")
        except ProtocolError as error:
            self.fail(f"protocol error: {error}")
        except (OSError, ValueError) as error:
            # ValueError: a read from the stream we closed to leave.
            self.fail(f"connection lost: {error}")
        finally:
            with self.changed:
                self.ended = True
                self.changed.notify_all()

    def send(self, to, text):
        self.sock.sendall(encode_frame(self.messages.ChatMessage(to=to, msg=text)))

    def send_lines(self, lines):
        """Sends lines until input ends, /quit, or the connection ended; returns how many were sent."""
        sent = 0
        for line in lines:
            if self.ended:
                break
            parsed = parse_line(line.rstrip("\r\n"))
            if parsed[0] == "error":
                self.say(parsed[1], to=sys.stderr)
            elif parsed[0] == "quit":
                break
            elif parsed[0] == "send":
                try:
                    self.send(parsed[1], parsed[2])
                except OSError as error:
                    self.fail(f"cannot send: {error}")
                    break
                sent += 1
        return sent

    def wait_for_echoes(self, sent, timeout):
        """True once `sent` echoes arrived; False if the connection ended or the time ran out first."""
        with self.changed:
            self.changed.wait_for(lambda: self.echoes >= sent or self.ended, timeout)
            return self.echoes >= sent

    def fail(self, text):
        """Says once, in one line, why the conversation failed; unless we are leaving, which ends reads too."""
        with self.changed:
            if self.leaving or self.failed:
                return
            self.failed = True
        self.say(text, to=sys.stderr)

    def close(self):
        with self.changed:
            self.leaving = True
        try:
            # Says goodbye, and wakes the reader thread out of its blocking read.
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # Already closed by the server: nothing left to say goodbye to.
        self.sock.close()


def tls_context(cafile):
    """TLS 1.2 or 1.3, the certificate checked against the system's authorities, or cafile's alone."""
    try:
        context = ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as error:
        give_up(EXIT_USAGE, f"--cafile {cafile}: {error}")
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def connect(host, port, timeout, messages, context=None):
    """Connects (through TLS when given a context) and reads the handshake; returns (socket,
    stream, id) or exits saying why not."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as error:
        give_up(EXIT_CONNECTION, f"cannot connect to {host}:{port}: {error}")
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if context is not None:
        try:
            sock = context.wrap_socket(sock, server_hostname=host)
        except socket.timeout:
            give_up(EXIT_CONNECTION, f"no TLS handshake from {host}:{port} within {timeout:g} s")
        except (ssl.SSLError, OSError) as error:
            give_up(EXIT_CONNECTION, f"TLS failed with {host}:{port}: {error}")
    stream = sock.makefile("rb")
    try:
        body = read_frame(stream)
        if body is None:
            raise ProtocolError("the server closed the connection before its handshake")
        handshake = parse(messages.Handshake, body)
        if not handshake.error and handshake.id <= 0:
            # PROTOCOL.md, "The conversation, step by step" 2: accepted means an id above 0.
            raise ProtocolError(f"the handshake neither refuses nor assigns an id (id {handshake.id})")
    except socket.timeout:
        give_up(EXIT_CONNECTION, f"no handshake from {host}:{port} within {timeout:g} s")
    except OSError as error:
        give_up(EXIT_CONNECTION, f"connection lost before the handshake: {error}")
    except ProtocolError as error:
        give_up(EXIT_CONNECTION, f"protocol error: {error}")
    if handshake.error:
        try:
            code = messages.Refusal.Name(handshake.refusal)
        except ValueError:
            code = str(handshake.refusal)  # a refusal code newer than our chat.proto
        retry = f", retry after {handshake.retry_after_ms} ms" if handshake.retry_after_ms else ""
        sock.close()
        give_up(EXIT_REFUSED, f"refused: {visible(handshake.reason)} ({code}{retry})")
    # Connected: reads block for as long as the conversation lasts.
    sock.settimeout(None)
    return sock, stream, handshake.id


def number_from(low, high):
    """An argparse type: a whole number from low to high, or a usage error (exit code 2)."""
    def check(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}")
        return value
    return check


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--host", default="127.0.0.1", help="server address (default 127.0.0.1)")
    parser.add_argument("--port", type=number_from(1, 65535), default=7777, help="server port (default 7777)")
    parser.add_argument("--connect-timeout", type=number_from(1, 3600), default=10, metavar="SECONDS",
                        help="seconds to wait for the connection and the server's handshake (default 10)")
    parser.add_argument("--tls", action="store_true",
                        help="connect with TLS; the server's certificate must be trusted by the system")
    parser.add_argument("--cafile", metavar="PATH",
                        help="PEM file of the authority to trust instead of the system's (a private CA); implies --tls")
    parser.add_argument("--proto", default=DEFAULT_PROTO, help="the project's chat.proto (default: found from this script)")
    args = parser.parse_args()  # exits with EXIT_USAGE (2) on a bad command line
    # Escaped text is still Unicode; a terminal whose encoding lacks a character shows an escape for it.
    sys.stdout.reconfigure(errors="backslashreplace")

    messages = load_messages(args.proto)
    context = tls_context(args.cafile) if args.tls or args.cafile else None
    sock, stream, own_id = connect(args.host, args.port, args.connect_timeout, messages, context)
    print(f"connected as user {own_id}", flush=True)
    session = Session(sock, stream, own_id, messages)
    reader = threading.Thread(target=session.receive_loop, name="chat-reader", daemon=True)
    reader.start()
    try:
        sent = session.send_lines(sys.stdin)
        complete = session.wait_for_echoes(sent, ECHO_WAIT_SECONDS)
        ended_first = session.ended
    except KeyboardInterrupt:
        session.close()
        return EXIT_INTERRUPTED
    session.close()
    reader.join(ECHO_WAIT_SECONDS)
    if session.failed:
        return EXIT_CONNECTION  # it has said why, on its one line
    if not complete:
        why = "the connection ended" if ended_first else f"not within {ECHO_WAIT_SECONDS:g} s"
        print(f"{sent - session.echoes} of {sent} messages sent were not echoed: {why}", file=sys.stderr)
        return EXIT_CONNECTION
    return EXIT_OK


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl+C before the conversation began (main handles it during one)
        sys.exit(EXIT_INTERRUPTED)
