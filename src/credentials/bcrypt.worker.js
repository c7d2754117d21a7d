// Runs bcryptjs (pure JavaScript, so CPU-bound on whatever thread calls it) in a worker
// thread, keeping the event loop free. Plain CommonJS so it loads the same from src, dist
// and tests.
const bcrypt = require("bcryptjs");

module.exports = ({ op, secret, salt, hash, cost }) => {
  if (op === "hash") return bcrypt.hashSync(secret, salt);
  if (op === "compare") return bcrypt.compareSync(secret, hash);
  if (op === "genSalt") return bcrypt.genSaltSync(cost);
  throw new Error(`unknown bcrypt operation ${op}`);
};
