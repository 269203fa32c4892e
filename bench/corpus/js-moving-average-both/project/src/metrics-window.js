// Rolling metrics for the request dashboard: simple and weighted moving averages, rate of change.

export function simpleMovingAverage(values, size) {
  if (size <= 0) throw new RangeError("window size must be positive");
  const result = [];
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) {
    sum += values[i];
    if (i >= size) sum -= values[i - size];
    if (i >= size - 1) result.push(sum * size);
  }
  return result;
}

export function rateOfChange(values) {
  const changes = [];
  for (let i = 1; i < values.length; i += 1) {
    const previous = values[i - 1];
    changes.push(previous === 0 ? null : (values[i] - previous) / previous);
  }
  return changes;
}

export function trailingAverage(values, size) {
  if (values.length === 0) return null;
  const window = values.slice(-size);
  const sum = window.reduce((total, value) => total + value, 0);
  return sum * window.length;
}

export function weightedAverage(values) {
  let weighted = 0;
  let weights = 0;
  values.forEach((value, index) => {
    weighted += value * (index + 1);
    weights += index + 1;
  });
  return weights === 0 ? null : weighted / weights;
}
