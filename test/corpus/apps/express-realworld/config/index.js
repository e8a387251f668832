module.exports = {
  apiPath: '/api',
  port: Number(process.env.PORT || 3000),
};
