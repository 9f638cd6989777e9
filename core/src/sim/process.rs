//! Processes: console commands, starting a process, dispatching events, and
//! handing inputs to a node (or queueing them while it is stalled) and
//! carrying out what it asks for.

use super::*;

impl Sim {
    /// Runs a console command on `node` at the current time, as redis-cli on
    /// that host would. Crashed hosts refuse the connection, as redis-cli says.
    pub fn console(&mut self, node: NodeId, line: &str) -> ConsoleOutcome {
        let Some(slot) = self.nodes.get(node.0 as usize) else {
            return ConsoleOutcome::Reply(format!("(error) unknown node #{}", node.0));
        };
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        if matches!(slot.state, NodeState::Down) {
            let text = format!(
                "Could not connect to Redis at {}:{}: Connection refused",
                slot.host, slot.port
            );
            self.record(
                node,
                TraceKind::Exec {
                    client: "console".into(),
                    cmd: line.to_string(),
                    reply: text.clone(),
                },
            );
            self.console_replies.insert(ticket, text.clone());
            return ConsoleOutcome::Reply(text);
        }
        self.input(
            node,
            Input::Console {
                ticket,
                line: line.to_string(),
            },
        );
        match self.console_replies.get(&ticket) {
            Some(text) => ConsoleOutcome::Reply(text.clone()),
            None => ConsoleOutcome::Pending(ticket),
        }
    }

    pub(super) fn start_process(&mut self, id: NodeId) {
        let slot = &mut self.nodes[id.0 as usize];
        slot.incarnation += 1;
        slot.inbox.clear();
        slot.blocked_until = None;
        slot.paused = false;
        let run_id = self.rng.hex40();
        let cron_phase_ms = self.rng.below(100);
        slot.state = slot.spec.start(run_id, &slot.host, slot.port);
        self.handle(id, Input::Start { cron_phase_ms });
    }

    pub(super) fn dispatch(&mut self, event: Event) {
        match event {
            Event::Arrive {
                conn,
                dir,
                seq,
                id,
                frame,
            } => self.arrive(conn, dir, seq, id, frame),
            Event::Timer {
                node,
                incarnation,
                timer,
            } => {
                let alive = self
                    .nodes
                    .get(node.0 as usize)
                    .is_some_and(|n| n.incarnation == incarnation);
                if alive {
                    self.input(node, Input::Timer(timer));
                }
            }
            Event::Resume { node, token } => self.resume(node, token),
            Event::Action { action, tag } => self.apply_scheduled(action, tag),
        }
    }

    /// Hands an input to a node, or queues it while the process is stalled.
    pub(super) fn input(&mut self, node: NodeId, input: Input) {
        let Some(slot) = self.nodes.get_mut(node.0 as usize) else {
            return;
        };
        if matches!(slot.state, NodeState::Down) {
            return;
        }
        if slot.blocked_until.is_some() {
            slot.inbox.push_back(input);
            return;
        }
        self.handle(node, input);
    }

    fn resume(&mut self, node: NodeId, token: u64) {
        let Some(slot) = self.nodes.get_mut(node.0 as usize) else {
            return;
        };
        if slot.block_token != token || slot.blocked_until.is_none() {
            return;
        }
        slot.blocked_until = None;
        let was_paused = std::mem::replace(&mut slot.paused, false);
        let mut inbox = std::mem::take(&mut slot.inbox);
        if was_paused {
            self.record(
                node,
                TraceKind::Fault {
                    text: "resumed".into(),
                },
            );
        }
        // Like Redis's event loop after a stall: readable sockets first, then timers.
        let (timers, others): (VecDeque<Input>, VecDeque<Input>) =
            inbox.drain(..).partition(|i| matches!(i, Input::Timer(_)));
        for input in others.into_iter().chain(timers) {
            // A handler may stall the node again (a full sync's load): keep the rest queued.
            if let Some(slot) = self.nodes.get_mut(node.0 as usize) {
                if slot.blocked_until.is_some() {
                    slot.inbox.push_back(input);
                    continue;
                }
            }
            self.input(node, input);
        }
    }

    /// Stalls `node` until `until`; a stall that is already longer wins.
    pub(super) fn block(&mut self, node: NodeId, until: u64, paused: bool) {
        let Some(slot) = self.nodes.get_mut(node.0 as usize) else {
            return;
        };
        let until = slot.blocked_until.map_or(until, |u| u.max(until));
        slot.blocked_until = Some(until);
        slot.paused |= paused;
        slot.block_token += 1;
        let token = slot.block_token;
        self.push(until, Event::Resume { node, token });
    }

    fn handle(&mut self, node: NodeId, input: Input) {
        let idx = node.0 as usize;
        let clock_ms = self.clock_ms(node);
        let mut out = std::mem::take(&mut self.out_buf);
        {
            let slot = &mut self.nodes[idx];
            let mut cx = Cx::new(
                node,
                slot.incarnation,
                self.now_ms,
                clock_ms,
                &mut out,
                &mut self.net,
                &mut self.rng,
                &self.addr_book,
                self.cfg.trace,
            );
            slot.state.handle(input, &mut cx);
        }
        for o in out.drain(..) {
            self.carry_out(node, o);
        }
        // Keep the allocation unless a nested handle already put one back.
        if self.out_buf.capacity() < out.capacity() {
            self.out_buf = out;
        }
    }

    fn carry_out(&mut self, node: NodeId, out: Out) {
        match out {
            Out::Send { conn, msg } => self.send(node, conn, msg),
            Out::Connect { conn } => {
                let id = self.next_msg;
                self.next_msg += 1;
                self.transmit(conn, 0, id, Frame::Syn, 0);
            }
            Out::Close { conn, reason } => self.close(node, conn, &reason),
            Out::Timer { after_ms, timer } => {
                let incarnation = self.nodes[node.0 as usize].incarnation;
                self.push(
                    self.now_ms + after_ms,
                    Event::Timer {
                        node,
                        incarnation,
                        timer,
                    },
                );
            }
            Out::Trace(kind) => self.record(node, kind),
            Out::ConsoleReply { ticket, text } => {
                self.console_replies.insert(ticket, text);
            }
            Out::ConsolePush { ticket, text } => {
                let entry = self.console_replies.entry(ticket).or_default();
                if !entry.is_empty() {
                    entry.push('\n');
                }
                entry.push_str(&text);
            }
            Out::Busy { ms } => self.block(node, self.now_ms + ms, false),
            Out::Rewrite(spec) => self.nodes[node.0 as usize].spec = *spec,
        }
    }
}
