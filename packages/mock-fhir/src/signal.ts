// A dumb WebSocket room relay for video signalling, independent of the transport (ws in Node,
// MSW's ws.link in the page). Messages are JSON { type, room, from, to?, ... }; the relay sets
// `from` itself. Relay-handled types: join, leave, admit. Everything else is forwarded: to `to`
// if given, else to everyone else in the room. Lobby: a joiner without role 'host' waits until
// a host sends { type: 'admit', room, to }; until then it only talks to hosts.

export interface SignalMessage {
  type: string;
  room?: string;
  from?: string;
  to?: string;
  [key: string]: unknown;
}

export interface SignalPeer {
  /** Sends a text frame to this peer. */
  send(data: string): void;
}

export interface SignalConnection {
  readonly id: string;
  /** Feed a text frame received from this peer. */
  message(data: string): void;
  /** The peer disconnected. */
  close(): void;
}

export interface SignalRelay {
  connect(peer: SignalPeer): SignalConnection;
  /** Room → members (id, role, state), for tests. */
  rooms(): Record<string, Array<{ id: string; role: string; state: 'waiting' | 'admitted' }>>;
}

interface Member {
  id: string;
  peer: SignalPeer;
  role: string;
  state: 'waiting' | 'admitted';
  name?: unknown;
}

export function createSignalRelay(options: { lobby?: boolean } = {}): SignalRelay {
  const lobby = options.lobby ?? true;
  const rooms = new Map<string, Map<string, Member>>();
  let n = 0;

  const send = (m: Member, msg: SignalMessage) => {
    try {
      m.peer.send(JSON.stringify(msg));
    } catch {
      /* peer gone */
    }
  };
  const summary = (m: Member) => ({ id: m.id, role: m.role, state: m.state, name: m.name });

  function leave(id: string, roomName: string): void {
    const room = rooms.get(roomName);
    const me = room?.get(id);
    if (!room || !me) return;
    room.delete(id);
    for (const other of room.values()) send(other, { type: 'peer-left', room: roomName, from: id });
    if (room.size === 0) rooms.delete(roomName);
  }

  return {
    connect(peer) {
      const id = `peer-${++n}`;
      const joined = new Set<string>();
      return {
        id,
        message(data) {
          let msg: SignalMessage;
          try {
            msg = JSON.parse(data);
          } catch {
            return send({ id, peer, role: '', state: 'admitted' }, { type: 'error', from: 'relay', message: 'not JSON' });
          }
          if (!msg || typeof msg.type !== 'string' || typeof msg.room !== 'string') {
            return peer.send(JSON.stringify({ type: 'error', from: 'relay', message: 'messages need type and room' }));
          }
          const roomName = msg.room;
          let room = rooms.get(roomName);
          if (msg.type === 'join') {
            if (!room) rooms.set(roomName, (room = new Map()));
            const role = typeof msg.role === 'string' ? msg.role : 'guest';
            const me: Member = { id, peer, role, state: !lobby || role === 'host' ? 'admitted' : 'waiting', name: msg.name };
            room.set(id, me);
            joined.add(roomName);
            send(me, { type: 'joined', room: roomName, from: 'relay', to: id, you: id, state: me.state, peers: [...room.values()].filter((m) => m.id !== id).map(summary) });
            for (const other of room.values()) if (other.id !== id) send(other, { type: 'peer-joined', room: roomName, from: id, ...summary(me) });
            return;
          }
          const me = room?.get(id);
          if (!room || !me) return send({ id, peer, role: '', state: 'admitted' }, { type: 'error', room: roomName, from: 'relay', message: 'join the room first' });
          if (msg.type === 'leave') {
            joined.delete(roomName);
            return leave(id, roomName);
          }
          if (msg.type === 'admit') {
            if (me.role !== 'host') return send(me, { type: 'error', room: roomName, from: 'relay', message: 'only a host can admit' });
            const target = msg.to ? room.get(msg.to) : undefined;
            const targets = target ? [target] : msg.to ? [] : [...room.values()].filter((m) => m.state === 'waiting');
            for (const t of targets) {
              t.state = 'admitted';
              for (const m of room.values()) send(m, { type: 'admitted', room: roomName, from: id, to: t.id });
            }
            return;
          }
          const out: SignalMessage = { ...msg, from: id };
          const canTalk = (a: Member, b: Member) => (a.state === 'admitted' && b.state === 'admitted') || a.role === 'host' || b.role === 'host';
          if (msg.to) {
            const t = room.get(msg.to);
            if (t && canTalk(me, t)) send(t, out);
            return;
          }
          for (const other of room.values()) if (other.id !== id && canTalk(me, other)) send(other, out);
        },
        close() {
          for (const r of joined) leave(id, r);
          joined.clear();
        },
      };
    },
    rooms() {
      const out: ReturnType<SignalRelay['rooms']> = {};
      for (const [name, room] of rooms) out[name] = [...room.values()].map((m) => ({ id: m.id, role: m.role, state: m.state }));
      return out;
    },
  };
}
