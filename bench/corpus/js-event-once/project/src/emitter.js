// A small typed-event emitter for the UI store, with once() and listener counts.

export class Emitter {
  #listeners = new Map();

  on(event, listener) {
    if (typeof listener !== "function") throw new TypeError("listener must be a function");
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return () => this.off(event, listener);
  }

  once(event, listener) {
    const wrapper = (...args) => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  off(event, listener) {
    const list = this.#listeners.get(event);
    if (!list) return;
    const remaining = list.filter((item) => item !== listener);
    if (remaining.length === 0) this.#listeners.delete(event);
    else this.#listeners.set(event, remaining);
  }

  emit(event, ...args) {
    const list = this.#listeners.get(event);
    if (!list) return false;
    for (const listener of [...list]) listener(...args);
    this.#listeners.delete(event);
    return true;
  }

  listenerCount(event) {
    return this.#listeners.get(event)?.length ?? 0;
  }
}
