// In-memory stores for the libsignal anchor, written against libsignal-client's abstract store classes.
// Two session stores: one keeps the SessionRecord objects as handed over (the counterpart of Enigm's
// RatchetSession, which keeps its state in memory), one serializes each record on save and parses it on
// load, as a client that persists its sessions would.
import {
  IdentityChange,
  IdentityKeyStore,
  KyberPreKeyStore,
  PreKeyStore,
  SessionRecord,
  SessionStore,
  SignedPreKeyStore,
} from '@signalapp/libsignal-client';

const key = (address) => `${address.name()}.${address.deviceId()}`;

export class ObjectSessionStore extends SessionStore {
  #records = new Map();
  async saveSession(address, record) {
    this.#records.set(key(address), record);
  }
  async getSession(address) {
    return this.#records.get(key(address)) ?? null;
  }
  async getExistingSessions(addresses) {
    return addresses.map((a) => {
      const record = this.#records.get(key(a));
      if (!record) throw new Error(`no session for ${key(a)}`);
      return record;
    });
  }
}

export class SerializingSessionStore extends SessionStore {
  #records = new Map();
  async saveSession(address, record) {
    this.#records.set(key(address), record.serialize());
  }
  async getSession(address) {
    const bytes = this.#records.get(key(address));
    return bytes ? SessionRecord.deserialize(bytes) : null;
  }
  async getExistingSessions(addresses) {
    return addresses.map((a) => {
      const bytes = this.#records.get(key(a));
      if (!bytes) throw new Error(`no session for ${key(a)}`);
      return SessionRecord.deserialize(bytes);
    });
  }
}

export class MemoryIdentityStore extends IdentityKeyStore {
  #identities = new Map();
  constructor(privateKey, registrationId) {
    super();
    this.privateKey = privateKey;
    this.registrationId = registrationId;
  }
  async getIdentityKey() {
    return this.privateKey;
  }
  async getLocalRegistrationId() {
    return this.registrationId;
  }
  async saveIdentity(address, publicKey) {
    const known = this.#identities.get(key(address));
    this.#identities.set(key(address), publicKey);
    return known && !known.equals(publicKey) ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(address, publicKey) {
    const known = this.#identities.get(key(address));
    return !known || known.equals(publicKey);
  }
  async getIdentity(address) {
    return this.#identities.get(key(address)) ?? null;
  }
}

export class MemoryPreKeyStore extends PreKeyStore {
  #records = new Map();
  async savePreKey(id, record) {
    this.#records.set(id, record);
  }
  async getPreKey(id) {
    const record = this.#records.get(id);
    if (!record) throw new Error(`no prekey ${id}`);
    return record;
  }
  async removePreKey(id) {
    this.#records.delete(id);
  }
}

export class MemorySignedPreKeyStore extends SignedPreKeyStore {
  #records = new Map();
  async saveSignedPreKey(id, record) {
    this.#records.set(id, record);
  }
  async getSignedPreKey(id) {
    const record = this.#records.get(id);
    if (!record) throw new Error(`no signed prekey ${id}`);
    return record;
  }
}

// One-time Kyber prekeys: a used one is deleted, as a one-time key must be.
export class MemoryKyberPreKeyStore extends KyberPreKeyStore {
  #records = new Map();
  async saveKyberPreKey(id, record) {
    this.#records.set(id, record);
  }
  async getKyberPreKey(id) {
    const record = this.#records.get(id);
    if (!record) throw new Error(`no Kyber prekey ${id}`);
    return record;
  }
  async markKyberPreKeyUsed(id) {
    this.#records.delete(id);
  }
}
