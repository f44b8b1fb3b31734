/**
 * Renders RSS and Atom as a readable page when a browser opens a feed. Only titles, links and dates
 * are shown: content is escaped HTML, and disable-output-escaping is not supported everywhere.
 */
export const FEED_XSL = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" indent="no"/>
  <xsl:template match="/">
    <html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
    <title><xsl:value-of select="rss/channel/title|atom:feed/atom:title"/></title>
    <style>body{margin:0;font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;overflow-wrap:anywhere}main{max-width:46rem;margin:0 auto;padding:1rem}li{margin:.5rem 0}.note{background:#fff3cd;color:#3d3000;padding:.75rem;border-radius:.5rem}</style></head>
    <body><main>
      <p class="note">This is a feed: copy its address into your feed reader to subscribe. 这是订阅源：把地址复制到阅读器即可订阅。</p>
      <h1><xsl:value-of select="rss/channel/title|atom:feed/atom:title"/></h1>
      <p><xsl:value-of select="rss/channel/description|atom:feed/atom:subtitle"/></p>
      <ul>
        <xsl:for-each select="rss/channel/item">
          <li><a href="{link}"><xsl:value-of select="title"/></a> <small> <xsl:value-of select="pubDate"/></small></li>
        </xsl:for-each>
        <xsl:for-each select="atom:feed/atom:entry">
          <li><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a> <small> <xsl:value-of select="atom:updated"/></small></li>
        </xsl:for-each>
      </ul>
    </main></body></html>
  </xsl:template>
</xsl:stylesheet>
`;
